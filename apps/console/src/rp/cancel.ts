// Cancelling a pending request at the provider (a provider extension, not part of CIBA Core): a POST
// with the client's own authentication and the auth_req_id. Sent through the flow's recording fetch so
// the inspector shows it like every other message.
import * as oidc from "openid-client";
import { plainError } from "../shared/error-messages";
import type { FlowError } from "../shared/flow-view";
import type { RpClient } from "./clients";
import { describeFetchError } from "./recorder";

export type CancelResult = { ok: true } | { ok: false; error: FlowError };

/** client_secret_basic: form-urlencode id and secret, then base64 (RFC 6749 §2.3.1). */
function basic(client: RpClient): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString("base64")}`;
}

export async function cancelRequest(config: oidc.Configuration, endpoint: string, client: RpClient, authReqId: string): Promise<CancelResult> {
  const send: oidc.CustomFetch = config[oidc.customFetch] ?? ((url, init) => fetch(url, init as RequestInit));
  let response: Response;
  try {
    response = await send(endpoint, {
      method: "POST",
      headers: { authorization: basic(client), "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ auth_req_id: authReqId }),
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return { ok: false, error: plainError("provider_unreachable", describeFetchError(error), null) };
  }
  if (response.ok) return { ok: true };
  const body = (await response.json().catch(() => ({}))) as { error?: unknown; error_description?: unknown };
  const code = typeof body.error === "string" ? body.error : "server_error";
  return { ok: false, error: plainError(code, typeof body.error_description === "string" ? body.error_description : null, response.status) };
}
