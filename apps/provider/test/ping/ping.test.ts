// Ping mode (CIBA Core §10.2, project decision 7) against a real notification endpoint on loopback,
// with openid-client as the relying party.
import { DEMO_CLIENT_SECRET, demoUsers } from "@ciba/db";
import { CIBA_GRANT_TYPE, deliveryLogResponseSchema } from "@ciba/protocol";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryLog, notificationToken, notifiedClient, settledDeliveries } from "../support/deliveries";
import { ALICE, approveAsUser, backchannelAuthenticate, deviceDecide, deviceLogin, pendingRequestId, pollToken } from "../support/flows";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";

const alice = demoUsers[0];
let provider: TestProvider;
let receiver: Receiver;
let config: oidc.Configuration;

beforeAll(async () => {
  receiver = await startReceiver();
  provider = await startTestProvider({ env: { CIBA_POLL_INTERVAL: "1" } });
  await notifiedClient(provider, "rp-ping", "ping", receiver.url("/ping"));
  config = await oidc.discovery(new URL(provider.issuer), "rp-ping", DEMO_CLIENT_SECRET, oidc.ClientSecretBasic(DEMO_CLIENT_SECRET), {
    execute: [oidc.allowInsecureRequests],
  });
});
afterAll(async () => {
  await provider.close();
  await receiver.close();
});

function initiate(token: string, extra: Record<string, string> = {}) {
  return oidc.initiateBackchannelAuthentication(config, {
    scope: "openid profile",
    login_hint: ALICE,
    binding_message: "PING",
    client_notification_token: token,
    ...extra,
  });
}

describe("ping mode", () => {
  it("pings the notification endpoint on approval, after which one token request succeeds", async () => {
    const token = notificationToken();
    const started = await initiate(token);
    expect(started.interval).toBe(1);
    const before = receiver.on("/ping").length;

    await approveAsUser(provider, ALICE);
    const [ping] = (await receiver.waitFor(before + 1, "/ping")).slice(before);

    expect(ping!.method).toBe("POST");
    expect(ping!.headers.authorization).toBe(`Bearer ${token}`);
    expect(ping!.headers["content-type"]).toBe("application/json");
    expect(ping!.raw).toBe(JSON.stringify({ auth_req_id: started.auth_req_id }));

    const tokens = await oidc.genericGrantRequest(config, CIBA_GRANT_TYPE, { auth_req_id: started.auth_req_id });
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.claims()?.sub).toBe(alice.sub);
    await expect(oidc.genericGrantRequest(config, CIBA_GRANT_TYPE, { auth_req_id: started.auth_req_id })).rejects.toMatchObject({
      error: "invalid_grant",
    });

    const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-ping");
    expect(delivery).toMatchObject({ kind: "ping", endpoint: receiver.url("/ping"), status: "delivered", attempts: 1 });
    expect(delivery!.log).toEqual([
      expect.objectContaining({ attempt: 1, http_status: 204, error: null, outcome: "delivered" }),
    ]);
  });

  it("pings on denial too, and the token endpoint then answers access_denied", async () => {
    const token = notificationToken();
    const started = await initiate(token);
    const before = receiver.on("/ping").length;

    const device = await deviceLogin(provider, ALICE);
    const denied = await deviceDecide(provider, device, await pendingRequestId(provider, device), "deny");
    expect(denied.status).toBe(200);
    const [ping] = (await receiver.waitFor(before + 1, "/ping")).slice(before);
    expect(ping!.headers.authorization).toBe(`Bearer ${token}`);
    expect(ping!.body).toEqual({ auth_req_id: started.auth_req_id });

    await expect(oidc.genericGrantRequest(config, CIBA_GRANT_TYPE, { auth_req_id: started.auth_req_id })).rejects.toMatchObject({
      error: "access_denied",
      error_description: "the end-user denied the authorization request",
    });
  });

  it("lets a ping client poll before the ping: authorization_pending", async () => {
    const started = await initiate(notificationToken());
    const pending = await pollToken(provider, started.auth_req_id, "rp-ping");
    expect(pending.status).toBe(400);
    expect(pending.body).toEqual({ error: "authorization_pending", error_description: "the end-user has not yet been authenticated" });
    await approveAsUser(provider, ALICE);
    await settledDeliveries(provider, started.auth_req_id, "rp-ping");
  });

  it("has the outcome stored before pinging: the endpoint can redeem while handling the ping", async () => {
    await initiate(notificationToken());
    let redeemed: { status: number; body: Record<string, unknown> } | undefined;
    receiver.onRequest = async (notification) => {
      const { auth_req_id } = notification.body as { auth_req_id: string };
      redeemed = await pollToken(provider, auth_req_id, "rp-ping");
    };
    try {
      const before = receiver.on("/ping").length;
      await approveAsUser(provider, ALICE);
      await receiver.waitFor(before + 1, "/ping");
    } finally {
      receiver.onRequest = undefined;
    }
    expect(redeemed?.status).toBe(200);
    expect(redeemed?.body.access_token).toEqual(expect.any(String));
  });

  it("sends nothing when a request expires without a decision", async () => {
    const started = await initiate(notificationToken(), { requested_expiry: "1" });
    const before = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await provider.sweepExpired()).toBeGreaterThanOrEqual(0);
    expect(await pollToken(provider, started.auth_req_id, "rp-ping")).toMatchObject({ status: 400, body: { error: "expired_token" } });
    const log = await deliveryLog(provider, started.auth_req_id, "rp-ping");
    expect(log.status).toBe(200);
    expect(log.body).toEqual({ auth_req_id: started.auth_req_id, deliveries: [] });
    expect(receiver.received.length).toBe(before);
  });

  it("refuses a ping request without a valid client_notification_token", async () => {
    const params = { scope: "openid", login_hint: ALICE };
    const missing = await backchannelAuthenticate(provider, params, "rp-ping");
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "client_notification_token is required for ping mode" });

    const malformed = await backchannelAuthenticate(provider, { ...params, client_notification_token: "not a b64token" }, "rp-ping");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      error: "invalid_request",
      error_description: "client_notification_token must have RFC 6750 bearer token syntax",
    });

    const tooLong = await backchannelAuthenticate(provider, { ...params, client_notification_token: "a".repeat(1025) }, "rp-ping");
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual({ error: "invalid_request", error_description: "client_notification_token is longer than 1024 characters" });
  });

  it("answers the delivery log in the protocol's shape", async () => {
    const started = await initiate(notificationToken());
    await approveAsUser(provider, ALICE);
    await settledDeliveries(provider, started.auth_req_id, "rp-ping");
    const log = await deliveryLog(provider, started.auth_req_id, "rp-ping");
    expect(log.headers.get("cache-control")).toBe("no-store");
    expect(deliveryLogResponseSchema.parse(log.body)).toEqual(log.body);
  });
});
