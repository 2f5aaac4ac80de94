// The caller's side of the screenshot run: the Authentication Device API of the real provider (what the
// device simulator app calls), and small helpers to drive the console by role and accessible name.
import { expect, type Page, test } from "@playwright/test";
import { io, type Socket } from "socket.io-client";

/** The demo users' PIN, as the provider seeds them. */
const DEMO_PIN = "1234";

const providerUrl = () => (test.info().config.metadata as { providerUrl: string }).providerUrl;

export interface CallerDevice {
  token: string;
  close(): void;
}

/** Signs the caller in on a device and keeps it online (a socket on /device), as the simulator does. */
export async function callerDevice(page: Page, loginHint: string): Promise<CallerDevice> {
  const login = await page.request.post(`${providerUrl()}/device/login`, { data: { login_hint: loginHint, pin: DEMO_PIN } });
  expect(login.status()).toBe(200);
  const { device_token: token } = (await login.json()) as { device_token: string };
  const socket: Socket = io(`${providerUrl()}/device`, { auth: { device_token: token }, transports: ["websocket"] });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return { token, close: () => socket.disconnect() };
}

/** The code shown on the operator screen. */
export async function codeOnScreen(page: Page): Promise<string> {
  return (await page.getByLabel(/^Code /).innerText()).trim();
}

/** The caller answers on their device the request that shows the operator's code. */
export async function callerDecides(page: Page, device: CallerDevice, action: "approve" | "deny" | "fraud") {
  const code = await codeOnScreen(page);
  const headers = { authorization: `Bearer ${device.token}` };
  let id: string | undefined;
  await expect
    .poll(async () => {
      const list = (await (await page.request.get(`${providerUrl()}/device/requests`, { headers })).json()) as Array<{ id: string; binding_message: string }>;
      id = list.find((r) => r.binding_message === code)?.id;
      return id;
    })
    .toBeTruthy();
  const body = action === "fraud" ? { pin: DEMO_PIN, reason: "suspected_fraud" } : { pin: DEMO_PIN };
  const decided = await page.request.post(`${providerUrl()}/device/requests/${id}/${action === "approve" ? "approve" : "deny"}`, { headers, data: body });
  expect(decided.status()).toBe(200);
}

export async function startVerification(
  page: Page,
  options: { identifier: string; mode: "Poll" | "Ping" | "Push"; payment?: { amount: string; creditor: string; reference?: string }; expiry?: string },
) {
  await page.getByLabel("Caller's identifier").fill(options.identifier);
  await page.getByRole("radio", { name: options.mode }).check({ force: true });
  if (options.expiry) await page.getByLabel("Request expires after").selectOption({ label: options.expiry });
  if (options.payment) {
    await page.getByRole("switch", { name: /Confirm a payment/ }).check({ force: true });
    await page.getByLabel("Amount").fill(options.payment.amount);
    await page.getByLabel("Creditor").fill(options.payment.creditor);
    if (options.payment.reference) await page.getByLabel(/Reference/).fill(options.payment.reference);
  }
  await page.getByRole("button", { name: "Start verification" }).click();
}
