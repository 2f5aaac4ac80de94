// The caller's side, through the provider's Authentication Device API (what the device simulator uses).
/** The demo users' PIN, as the provider seeds them (the console never reads the provider's database). */
const DEMO_PIN = "1234";

export interface Device {
  token: string;
  pending(): Promise<Array<{ id: string; binding_message: string | null; authorization_details: unknown }>>;
  approve(id: string): Promise<Response>;
  deny(id: string, reason?: "user_denied" | "suspected_fraud"): Promise<Response>;
}

export async function deviceLogin(providerUrl: string, loginHint: string): Promise<Device> {
  const response = await fetch(`${providerUrl}/device/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login_hint: loginHint, pin: DEMO_PIN }),
  });
  if (response.status !== 200) throw new Error(`device login failed: ${response.status} ${await response.text()}`);
  const { device_token: token } = (await response.json()) as { device_token: string };
  const authorization = `Bearer ${token}`;
  const post = (path: string, body: unknown) =>
    fetch(`${providerUrl}${path}`, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(body) });
  return {
    token,
    async pending() {
      const list = await fetch(`${providerUrl}/device/requests`, { headers: { authorization } });
      return (await list.json()) as Awaited<ReturnType<Device["pending"]>>;
    },
    approve: (id) => post(`/device/requests/${id}/approve`, { pin: DEMO_PIN }),
    deny: (id, reason = "user_denied") => post(`/device/requests/${id}/deny`, { pin: DEMO_PIN, reason }),
  };
}

/** The device's pending request showing this binding message (the code the operator reads out). */
export async function requestWithCode(device: Device, bindingMessage: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = (await device.pending()).find((r) => r.binding_message === bindingMessage);
    if (match) return match.id;
    if (Date.now() > deadline) throw new Error(`no pending request with binding message ${bindingMessage}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
