// Which notification an ended request owes its client (project decisions 7 and 11):
//   ping  approved, denied, cancelled  → {"auth_req_id"}            (nothing at expiry)
//   push  approved                     → the token response          (see push-tokens.ts)
//   push  denied, cancelled            → access_denied error payload
//   push  expired                      → expired_token error payload
import { createHash } from "node:crypto";
import type { AuthRequest, DeliveryKind } from "@ciba/db";
import type { PingNotification, PushErrorNotification } from "@ciba/protocol";

export type PlannedDelivery =
  | { kind: "ping"; payload: PingNotification }
  | { kind: "push_error"; payload: PushErrorNotification }
  | { kind: "push_tokens" };

export const EXPIRED_DESCRIPTION = "the auth_req_id has expired; make a new authentication request";
export const DENIED_DESCRIPTION = "the end-user denied the authorization request";
export const TRANSACTION_FAILED_DESCRIPTION = "the provider could not issue the tokens";

export function planDelivery(request: AuthRequest): PlannedDelivery | null {
  const auth_req_id = request.authReqId;
  if (request.deliveryMode === "ping") {
    return request.status === "pending" || request.status === "expired" ? null : { kind: "ping", payload: { auth_req_id } };
  }
  if (request.deliveryMode !== "push") return null;
  switch (request.status) {
    case "pending":
      return null;
    case "approved":
      return { kind: "push_tokens" };
    case "expired":
      return { kind: "push_error", payload: { auth_req_id, error: "expired_token", error_description: EXPIRED_DESCRIPTION } };
    case "denied":
    case "cancelled":
      return {
        kind: "push_error",
        payload: { auth_req_id, error: "access_denied", error_description: request.outcomeDescription ?? DENIED_DESCRIPTION },
      };
  }
}

/**
 * A request owes at most one delivery of each kind, so the id derives from both: a second attempt to
 * create it (two instances resuming the same request after a crash) collides instead of duplicating.
 * Hashed, so the device-facing request id does not show through.
 */
export function deliveryIdFor(requestId: string, kind: DeliveryKind): string {
  return createHash("sha256").update(`${requestId}:${kind}`).digest("base64url").slice(0, 22);
}

/** What stays stored once a delivery is over: never the tokens, which exist only until acknowledged. */
export function retiredPayload(kind: DeliveryKind, payload: string): string | undefined {
  if (kind !== "push_tokens") return undefined;
  const { auth_req_id } = JSON.parse(payload) as { auth_req_id: string };
  return JSON.stringify({ auth_req_id });
}
