// What a Relying Party and a second device do to the provider during the device tests: start, cancel and
// poll requests, sign in and decide directly through the Device API.
export const DEMO_PIN = "1234";
const CLIENT = { id: "demo-poll", secret: "demo-secret" };

const basic = () => `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64")}`;

async function form(url: string, params: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Starts a backchannel authentication request for `loginHint` as the demo poll client. */
export async function startRequest(providerUrl: string, loginHint: string, params: Record<string, string> = {}): Promise<string> {
  const { status, body } = await form(`${providerUrl}/backchannel-authentication`, {
    scope: "openid profile email",
    login_hint: loginHint,
    ...params,
  });
  if (status !== 200) throw new Error(`backchannel authentication failed: ${JSON.stringify(body)}`);
  return body.auth_req_id as string;
}

export async function cancelRequest(providerUrl: string, authReqId: string) {
  return form(`${providerUrl}/backchannel-authentication/cancel`, { auth_req_id: authReqId });
}

export async function pollToken(providerUrl: string, authReqId: string) {
  return form(`${providerUrl}/token`, { grant_type: "urn:openid:params:grant-type:ciba", auth_req_id: authReqId });
}

export async function deviceLogin(providerUrl: string, loginHint: string, pin = DEMO_PIN) {
  const response = await fetch(`${providerUrl}/device/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login_hint: loginHint, pin }),
  });
  if (!response.ok) throw new Error(`device login failed: ${response.status}`);
  return (await response.json()) as { device_token: string; user: { sub: string; name: string } };
}

export async function devicePending(providerUrl: string, token: string) {
  const response = await fetch(`${providerUrl}/device/requests`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as Array<{ id: string; binding_message: string | null }>;
}

export async function deviceHistory(providerUrl: string, token: string) {
  const response = await fetch(`${providerUrl}/device/history`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as Array<{ id: string; status: string; suspected_fraud: boolean; binding_message: string | null }>;
}

export async function deviceDecide(providerUrl: string, token: string, id: string, action: "approve" | "deny", body: object = {}) {
  const response = await fetch(`${providerUrl}/device/requests/${id}/${action}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.status;
}

export async function deviceLogout(providerUrl: string, token: string) {
  await fetch(`${providerUrl}/device/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
}
