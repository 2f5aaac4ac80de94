// Two provider instances on one database and one Redis (REDIS_URL), as a bank runs them behind a load
// balancer: whichever instance a call reaches, the protocol behaves as if there were one provider.
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { CIBA_GRANT_TYPE, type ProtocolEvent } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../support/cluster";
import { eventually, notificationToken, notifiedClient, settledDeliveries } from "../support/deliveries";
import { ALICE, BOB, deviceDecide, deviceLogin, pendingRequestId, pollToken, startRequest, url } from "../support/flows";
import { basic, getJson, postForm, postJson } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import type { TestProvider } from "../support/provider";
import { clusterServices } from "../support/services";
import { connectDevice, connectMonitor } from "../support/sockets";

const services = await clusterServices();

let cluster: Cluster;
let a: TestProvider;
let b: TestProvider;
let receiver: Receiver;
const closers: Array<() => unknown> = [];

/** Resolves once the instance has counted the held token request as a poll. */
async function held(provider: TestProvider, authReqId: string) {
  await eventually(async () => {
    const request = await provider.deps.repos.authRequests.findByAuthReqId(authReqId);
    if (!request?.lastPolledAt) throw new Error("not polled yet");
  });
}

function longPoll(provider: TestProvider, authReqId: string, seconds: number) {
  return postForm(
    url(provider, "/token"),
    { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId },
    { authorization: basic("demo-poll", DEMO_CLIENT_SECRET), prefer: `wait=${seconds}` },
  );
}

describe.skipIf(services.skip !== undefined)("two provider instances on one PostgreSQL and one Redis", () => {
  beforeAll(async () => {
    receiver = await startReceiver();
    if (services.skip !== undefined) return;
    cluster = await startCluster(services, { CIBA_POLL_INTERVAL: "1", DELIVERY_POLL_INTERVAL_MS: "50" });
    [a, b] = cluster.instances as [TestProvider, TestProvider];
    await notifiedClient(a, "rp-ping", "ping", receiver.url("/ping"));
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await cluster?.close();
    await receiver?.close();
  });

  it("redeems on the first instance a request created there and approved through the second", async () => {
    const { auth_req_id } = await startRequest(a, ALICE);
    const device = await deviceLogin(b, ALICE);
    const approved = await deviceDecide(b, device, await pendingRequestId(b, device), "approve");
    expect(approved.status).toBe(200);

    const tokens = await pollToken(a, auth_req_id);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: "Bearer", scope: "openid profile email phone" });
    // The tokens one instance issued are good at the other (keys are shared through the database).
    const userinfo = await getJson(url(b, "/userinfo"), { authorization: `Bearer ${tokens.body.access_token as string}` });
    expect(userinfo.status).toBe(200);
    expect(userinfo.body.email).toBe(ALICE);
  });

  it("tells a device connected to one instance about a request created on the other, and counts it", async () => {
    const device = await connectDevice(a.issuer, await deviceLogin(a, BOB));
    const monitor = await connectMonitor(a.issuer, "demo-poll", DEMO_CLIENT_SECRET);
    closers.push(() => device.socket.disconnect(), () => monitor.socket.disconnect());

    const { auth_req_id } = await startRequest(b, BOB);
    const created = await device.received.waitFor((e) => e.event === "request:created");
    expect(created.payload).toMatchObject({ binding_message: "4F7K" });
    // Instance b counted the device connected to instance a.
    const notified = await monitor.received.waitFor((e) => e.type === "device.notified" && e.auth_req_id === auth_req_id);
    expect(notified.data).toEqual({ devices: 1 });

    const denied = await deviceDecide(b, await deviceLogin(b, BOB), created.payload.id, "deny");
    expect(denied.status).toBe(200);
    const ended = await device.received.waitFor((e) => e.event === "request:ended");
    expect(ended.payload).toMatchObject({ id: created.payload.id, status: "denied" });
    const decided = await monitor.received.waitFor(
      (e: ProtocolEvent) => e.type === "request.decided" && e.auth_req_id === auth_req_id,
    );
    expect(decided.data).toMatchObject({ status: "denied" });
  });

  it("drops a signed-out device's connections on every instance", async () => {
    const token = await deviceLogin(a, ALICE);
    const device = await connectDevice(a.issuer, token);
    closers.push(() => device.socket.disconnect());
    const disconnected = new Promise<string>((resolve) => device.socket.once("disconnect", resolve));
    const logout = await postForm(url(b, "/device/logout"), "", { authorization: `Bearer ${token}` });
    expect(logout.status).toBe(204);
    expect(await disconnected).toBe("io server disconnect");
  });

  it("refuses on one instance, well before its client cache would expire, a client deleted through the other", async () => {
    const registered = await postJson<{ client_id: string; client_secret: string; registration_access_token: string }>(url(a, "/register"), {
      client_name: "Short-lived RP",
      grant_types: [CIBA_GRANT_TYPE],
      backchannel_token_delivery_mode: "poll",
    });
    expect(registered.status).toBe(201);
    const { client_id, client_secret, registration_access_token } = registered.body;
    const start = () =>
      postForm(url(b, "/backchannel-authentication"), { scope: "openid", login_hint: ALICE }, { authorization: basic(client_id, client_secret) });
    // Instance b now holds the client in its cache (for CLIENT_CACHE_TTL_MS, 5 s).
    expect((await start()).status).toBe(200);

    const deleted = await fetch(url(a, `/register/${client_id}`), { method: "DELETE", headers: { authorization: `Bearer ${registration_access_token}` } });
    expect(deleted.status).toBe(204);
    // The change reaches b over Redis in milliseconds; without it b would accept the client for 5 s more.
    await eventually(async () => {
      const refused = await start();
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: "invalid_client", error_description: "client authentication failed: unknown client" });
    }, 2000);
  });

  it("wakes a long-poll waiter on one instance when the other publishes the end of its request", async () => {
    const subscription = a.deps.completions.subscribe("request-decided-elsewhere");
    b.deps.completions.publish("request-decided-elsewhere");
    expect(await subscription.ended).toBe("ended");
    subscription.cancel();
  });

  it("answers a token request held on one instance when the other records the decision", async () => {
    const approval = await startRequest(a, ALICE);
    const approvedPoll = longPoll(a, approval.auth_req_id, 20);
    await held(a, approval.auth_req_id);
    const device = await deviceLogin(b, ALICE);
    const decidedAt = performance.now();
    expect((await deviceDecide(b, device, await pendingRequestId(b, device), "approve")).status).toBe(200);
    const answered = await approvedPoll;
    console.log(`held token request on instance a answered ${(performance.now() - decidedAt).toFixed(1)} ms after the approval on b`);
    expect(answered.status).toBe(200);
    expect(answered.headers.get("preference-applied")).toBe("wait=20");
    expect(answered.body.access_token).toEqual(expect.any(String));

    const denial = await startRequest(b, ALICE);
    const deniedPoll = longPoll(b, denial.auth_req_id, 20);
    await held(b, denial.auth_req_id);
    expect((await deviceDecide(a, device, await pendingRequestId(a, device), "deny")).status).toBe(200);
    const refused = await deniedPoll;
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: "access_denied", error_description: "the end-user denied the authorization request" });
  });

  it("delivers a ping exactly once for a request created on one instance and approved on the other", async () => {
    const { auth_req_id } = await startRequest(a, ALICE, "rp-ping", { client_notification_token: notificationToken() });
    const device = await deviceLogin(b, ALICE);
    expect((await deviceDecide(b, device, await pendingRequestId(b, device), "approve", {})).status).toBe(200);

    await receiver.waitFor(1, "/ping");
    const [delivery] = await settledDeliveries(a, auth_req_id, "rp-ping");
    expect(delivery).toMatchObject({ kind: "ping", status: "delivered", attempts: 1 });
    // Both instances sweep for due deliveries every 50 ms; give them many sweeps to send it again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.on("/ping").filter((r) => (r.body as { auth_req_id: string }).auth_req_id === auth_req_id)).toHaveLength(1);

    const tokens = await pollToken(b, auth_req_id, "rp-ping");
    expect(tokens.status).toBe(200);
  });

  it("gives tokens to exactly one of 50 concurrent redemptions spread over both instances", async () => {
    const { auth_req_id } = await startRequest(b, ALICE);
    const device = await deviceLogin(a, ALICE);
    expect((await deviceDecide(a, device, await pendingRequestId(a, device), "approve")).status).toBe(200);

    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => pollToken(i % 2 ? a : b, auth_req_id)));
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of responses.filter((r) => r.status !== 200)) {
      expect(loser.status).toBe(400);
      expect(loser.body.error).toBe("invalid_grant");
    }
    const request = await a.deps.repos.authRequests.findByAuthReqId(auth_req_id);
    expect(await a.deps.db.prisma.grant.count({ where: { authRequestId: request!.id } })).toBe(1);
  });
});
