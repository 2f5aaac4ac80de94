// The steps of a CIBA flow as tests use them, against the running provider.
import { DEMO_CLIENT_SECRET, DEMO_PIN, type NewClient, cibaClient } from "@ciba/db";
import { CIBA_GRANT_TYPE, type DeliveryMode } from "@ciba/protocol";
import type { TestProvider } from "./provider";
import { basic, getJson, type JsonResponse, postForm, postJson } from "./http";

export const ALICE = "alice@example.com";
export const BOB = "bob@example.com";

/** Any provider the flows can reach over HTTP: a test provider, or a provider process at a base URL. */
export type Reachable = Pick<TestProvider, "issuer">;

export function url(provider: Reachable, path: string): string {
  return `${provider.issuer}${path}`;
}

/** Registers a client directly in the database (dynamic registration has its own tests). */
export async function createClient(
  provider: TestProvider,
  clientId: string,
  mode: DeliveryMode,
  overrides: Partial<NewClient> & { secret?: string } = {},
) {
  return provider.deps.repos.clients.create(cibaClient(clientId, mode, overrides));
}

export interface BackchannelAck {
  auth_req_id: string;
  expires_in: number;
  interval?: number;
}

export async function backchannelAuthenticate(
  provider: Reachable,
  params: Record<string, string>,
  clientId = "demo-poll",
  secret = DEMO_CLIENT_SECRET,
): Promise<JsonResponse> {
  return postForm(url(provider, "/backchannel-authentication"), params, { authorization: basic(clientId, secret) });
}

/** Starts a request for `loginHint` and asserts it was acknowledged. */
export async function startRequest(
  provider: Reachable,
  loginHint = ALICE,
  clientId = "demo-poll",
  extra: Record<string, string> = {},
): Promise<BackchannelAck> {
  const response = await backchannelAuthenticate(
    provider,
    { scope: "openid profile email phone", login_hint: loginHint, binding_message: "4F7K", ...extra },
    clientId,
  );
  if (response.status !== 200) throw new Error(`backchannel authentication failed: ${JSON.stringify(response.body)}`);
  return response.body as unknown as BackchannelAck;
}

export async function pollToken(
  provider: Reachable,
  authReqId: string,
  clientId = "demo-poll",
  secret = DEMO_CLIENT_SECRET,
): Promise<JsonResponse> {
  return postForm(url(provider, "/token"), { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId }, { authorization: basic(clientId, secret) });
}

export async function deviceLogin(provider: Reachable, loginHint = ALICE, pin = DEMO_PIN): Promise<string> {
  const response = await postJson<{ device_token: string }>(url(provider, "/device/login"), { login_hint: loginHint, pin });
  if (response.status !== 200) throw new Error(`device login failed: ${JSON.stringify(response.body)}`);
  return response.body.device_token;
}

export async function devicePending(provider: Reachable, deviceToken: string) {
  return getJson<Array<{ id: string; binding_message: string | null }>>(url(provider, "/device/requests"), {
    authorization: `Bearer ${deviceToken}`,
  });
}

/** The device-facing id of the user's only (or newest) pending request. */
export async function pendingRequestId(provider: Reachable, deviceToken: string): Promise<string> {
  const { body } = await devicePending(provider, deviceToken);
  const last = body.at(-1);
  if (!last) throw new Error("no pending request on the device");
  return last.id;
}

export async function deviceDecide(
  provider: Reachable,
  deviceToken: string,
  id: string,
  action: "approve" | "deny",
  body: Record<string, unknown> = { pin: DEMO_PIN },
): Promise<JsonResponse> {
  return postJson(url(provider, `/device/requests/${id}/${action}`), body, { authorization: `Bearer ${deviceToken}` });
}

/** Signs Alice in on a device and approves her newest pending request with her PIN. */
export async function approveAsUser(provider: Reachable, loginHint = ALICE): Promise<void> {
  const token = await deviceLogin(provider, loginHint);
  const response = await deviceDecide(provider, token, await pendingRequestId(provider, token), "approve");
  if (response.status !== 200) throw new Error(`approval failed: ${JSON.stringify(response.body)}`);
}
