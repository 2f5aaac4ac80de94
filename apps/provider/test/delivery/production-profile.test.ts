// Notification endpoint safety at delivery time (checklist §15.4): with NODE_ENV=production the
// provider refuses to call http endpoints and hosts that resolve to internal addresses, checking what
// the host resolves to at the moment of sending, so a DNS answer changed after registration fails too.
// In the demo profile, the connection goes to the address that was checked, not to a new DNS answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Resolver, validateNotificationEndpoint } from "../../src/delivery/endpoint-safety";
import { createDeliveryNotifier } from "../../src/delivery/notifier";
import { notificationToken, notifiedClient, settledDeliveries } from "../support/deliveries";
import { ALICE, approveAsUser, startRequest } from "../support/flows";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";

const FIELD = "backchannel_client_notification_endpoint";

/** DNS as the tests want it: fixed answers, and one host whose answer changes after the first look-up. */
let rebindLookups = 0;
const dns: Resolver = (host) => {
  const answers: Record<string, string[]> = { "internal.rp.test": ["10.0.0.7"], "notify.rp.test": ["127.0.0.1"] };
  if (host === "rebind.rp.test") answers[host] = rebindLookups++ === 0 ? ["93.184.215.14"] : ["192.168.1.20"];
  const found = answers[host];
  return found ? Promise.resolve(found.map((address) => ({ address, family: 4 as const }))) : Promise.reject(new Error("ENOTFOUND"));
};

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

async function approvedPing(provider: TestProvider, clientId: string, endpoint: string) {
  await notifiedClient(provider, clientId, "ping", endpoint);
  const started = await startRequest(provider, ALICE, clientId, { client_notification_token: notificationToken() });
  await approveAsUser(provider, ALICE);
  const [delivery] = await settledDeliveries(provider, started.auth_req_id, clientId);
  return delivery!;
}

describe("delivery in the production profile", () => {
  let provider: TestProvider;
  beforeAll(async () => {
    provider = await startTestProvider({
      env: { NODE_ENV: "production" },
      notifier: (deps) => createDeliveryNotifier(deps, { resolve: dns }),
    });
    expect(provider.config.profile).toBe("production");
  });
  afterAll(() => provider.close());

  it("refuses to deliver to http://127.0.0.1, without connecting", async () => {
    const delivery = await approvedPing(provider, "rp-http", receiver.url("/plain"));
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery.log).toEqual([
      expect.objectContaining({ http_status: null, error: `${FIELD} must be an https URL`, outcome: "failed" }),
    ]);
    expect(receiver.on("/plain")).toHaveLength(0);
  });

  it("refuses to deliver to a host name that resolves to a private address", async () => {
    const delivery = await approvedPing(provider, "rp-internal", "https://internal.rp.test/cb");
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery.log[0]).toMatchObject({
      http_status: null,
      error: `the host of ${FIELD} resolves to a private address, which notifications may not be sent to`,
      outcome: "failed",
    });
  });

  it("checks again at delivery time: a host accepted at registration that now resolves internally is refused", async () => {
    await expect(validateNotificationEndpoint("https://rebind.rp.test/cb", "production", dns)).resolves.toMatchObject({
      addresses: [{ address: "93.184.215.14", family: 4 }],
    });
    const delivery = await approvedPing(provider, "rp-rebind", "https://rebind.rp.test/cb");
    expect(delivery.log[0]).toMatchObject({
      error: `the host of ${FIELD} resolves to a private address, which notifications may not be sent to`,
      outcome: "failed",
    });
  });
});

describe("delivery in the demo profile", () => {
  let provider: TestProvider;
  beforeAll(async () => {
    provider = await startTestProvider({ notifier: (deps) => createDeliveryNotifier(deps, { resolve: dns }) });
  });
  afterAll(() => provider.close());

  it("connects to the address it checked (the system resolver does not know this host)", async () => {
    const port = new URL(receiver.url()).port;
    const delivery = await approvedPing(provider, "rp-pinned", `http://notify.rp.test:${port}/pinned`);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    const [ping] = receiver.on("/pinned");
    expect(ping!.headers.host).toBe(`notify.rp.test:${port}`);
  });

  it("still refuses a host that resolves to an address no profile may call", async () => {
    const delivery = await approvedPing(provider, "rp-meta", "http://169.254.169.254/latest/meta-data");
    expect(delivery.log[0]).toMatchObject({
      error: `the host of ${FIELD} is a link-local address, which notifications may not be sent to`,
      outcome: "failed",
    });
  });
});
