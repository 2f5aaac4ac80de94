// Helpers for ping and push tests: clients with a notification endpoint, notification tokens, and the
// provider's delivery log read through its API.
import { randomBytes } from "node:crypto";
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import type { DeliveryEntry, DeliveryLogResponse } from "@ciba/protocol";
import { createClient, type Reachable, url } from "./flows";
import { basic, getJson, type JsonResponse } from "./http";
import type { TestProvider } from "./provider";

/** A client_notification_token with 192 bits of entropy (CIBA Core §7.1 asks for at least 128). */
export function notificationToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Registers a ping or push client whose notification endpoint is `endpoint`. */
export async function notifiedClient(provider: TestProvider, clientId: string, mode: "ping" | "push", endpoint: string) {
  return createClient(provider, clientId, mode, { notificationEndpoint: endpoint });
}

export async function deliveryLog(
  provider: Reachable,
  authReqId: string,
  clientId: string,
  secret = DEMO_CLIENT_SECRET,
): Promise<JsonResponse<DeliveryLogResponse>> {
  return getJson<DeliveryLogResponse>(url(provider, `/ciba/deliveries?auth_req_id=${encodeURIComponent(authReqId)}`), {
    authorization: basic(clientId, secret),
  });
}

/** Re-runs `check` every 20 ms until it stops throwing; after `limitMs` its last error is thrown. */
export async function eventually<T>(check: () => Promise<T>, limitMs = 15_000): Promise<T> {
  const giveUpAt = Date.now() + limitMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The request's deliveries once none is pending any more (delivered or failed). */
export async function settledDeliveries(
  provider: Reachable,
  authReqId: string,
  clientId: string,
  secret = DEMO_CLIENT_SECRET,
): Promise<DeliveryEntry[]> {
  return eventually(async () => {
    const { status, body } = await deliveryLog(provider, authReqId, clientId, secret);
    if (status !== 200 || body.deliveries.length === 0 || body.deliveries.some((d) => d.status === "pending")) {
      throw new Error("deliveries still pending");
    }
    return body.deliveries;
  });
}
