// Push mode (CIBA Core §10.3, §10.3.1, §12; project decisions 10 and 11) against a real notification
// endpoint on loopback. The receiver validates what a push client must validate (checklist §12.6).
import { createHash } from "node:crypto";
import { DEMO_CLIENT_SECRET, demoUsers } from "@ciba/db";
import { AUTH_REQ_ID_CLAIM, CIBA_GRANT_TYPE, pushTokenNotificationSchema, RT_HASH_CLAIM } from "@ciba/protocol";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../support/clock";
import { eventually, notificationToken, notifiedClient, settledDeliveries } from "../support/deliveries";
import { ALICE, approveAsUser, deviceDecide, deviceLogin, pendingRequestId, startRequest, url } from "../support/flows";
import { basic, getJson, postForm } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";
import { connectMonitor } from "../support/sockets";

const alice = demoUsers[0];
const clock = createTestClock();
let provider: TestProvider;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  provider = await startTestProvider({ clock, env: { DELIVERY_RETRY_BASE_MS: "50", DELIVERY_POLL_INTERVAL_MS: "50" } });
  await notifiedClient(provider, "rp-push", "push", receiver.url("/push"));
});
afterAll(async () => {
  await provider.close();
  await receiver.close();
});

/** OIDC Core §3.3.2.11 for an RS256 ID token: left half of SHA-256, base64url. */
function halfHash(token: string): string {
  const digest = createHash("sha256").update(token, "ascii").digest();
  return digest.subarray(0, 16).toString("base64url");
}

async function startPush(token: string, extra: Record<string, string> = {}) {
  return startRequest(provider, ALICE, "rp-push", { scope: "openid profile", client_notification_token: token, ...extra });
}

/** The pushes received for one auth_req_id, once there are `count` of them. */
async function pushesFor(authReqId: string, count = 1) {
  return eventually(() => {
    const pushes = receiver.on("/push").filter((r) => (r.body as { auth_req_id?: string } | undefined)?.auth_req_id === authReqId);
    if (pushes.length < count) return Promise.reject(new Error(`${pushes.length} of ${count} pushes so far`));
    return Promise.resolve(pushes);
  });
}

describe("push mode", () => {
  it("pushes verifiable tokens on approval: ID token signature, at_hash, rt_hash and auth_req_id", async () => {
    const monitor = await connectMonitor(provider.issuer, "rp-push", DEMO_CLIENT_SECRET);
    try {
      const token = notificationToken();
      const started = await startPush(token);
      expect(started.interval).toBeUndefined();
      await approveAsUser(provider, ALICE);
      const [push] = await pushesFor(started.auth_req_id);

      expect(push!.method).toBe("POST");
      expect(push!.headers.authorization).toBe(`Bearer ${token}`);
      expect(push!.headers["content-type"]).toBe("application/json");
      const body = pushTokenNotificationSchema.strict().parse(push!.body);
      expect(Object.keys(body).sort()).toEqual(["access_token", "auth_req_id", "expires_in", "id_token", "refresh_token", "scope", "token_type"]);
      expect(body).toMatchObject({ auth_req_id: started.auth_req_id, token_type: "Bearer", expires_in: 600, scope: "openid profile" });

      const jwks = createRemoteJWKSet(new URL(`${provider.issuer}/jwks`));
      const { payload, protectedHeader } = await jwtVerify(body.id_token, jwks, {
        issuer: provider.issuer,
        audience: "rp-push",
        currentDate: clock.now(),
      });
      expect(protectedHeader.alg).toBe("RS256");
      expect(payload.sub).toBe(alice.sub);
      expect(payload.at_hash).toBe(halfHash(body.access_token));
      expect(payload[RT_HASH_CLAIM]).toBe(halfHash(body.refresh_token!));
      expect(payload[AUTH_REQ_ID_CLAIM]).toBe(started.auth_req_id);

      // The pushed tokens work like any others.
      const userinfo = await getJson(url(provider, "/userinfo"), { authorization: `Bearer ${body.access_token}` });
      expect(userinfo.status).toBe(200);
      expect(userinfo.body.sub).toBe(alice.sub);
      const refreshed = await postForm(
        url(provider, "/token"),
        { grant_type: "refresh_token", refresh_token: body.refresh_token! },
        { authorization: basic("rp-push", DEMO_CLIENT_SECRET) },
      );
      expect(refreshed.status).toBe(200);

      // The console sees the issuance and the attempt live.
      const issued = await monitor.received.waitFor((e) => e.type === "tokens.issued" && e.auth_req_id === started.auth_req_id);
      expect(issued.data).toEqual({ via: "push", token_type: "Bearer", scope: "openid profile", refresh_token: true });
      const attempted = await monitor.received.waitFor((e) => e.type === "delivery.attempted" && e.auth_req_id === started.auth_req_id);
      expect(attempted.data).toMatchObject({ kind: "push_tokens", attempt: 1, http_status: 204, error: null, outcome: "delivered" });

      // Once acknowledged, the tokens are no longer stored with the delivery.
      const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-push");
      expect(delivery).toMatchObject({ kind: "push_tokens", status: "delivered", attempts: 1 });
      const request = await provider.deps.repos.authRequests.findByAuthReqId(started.auth_req_id);
      const [stored] = await provider.deps.repos.deliveries.listForAuthRequest(request!.id);
      expect(JSON.parse(stored!.payload)).toEqual({ auth_req_id: started.auth_req_id });
    } finally {
      monitor.socket.disconnect();
    }
  });

  it("refuses the CIBA grant at the token endpoint for a push client: unauthorized_client", async () => {
    const started = await startPush(notificationToken());
    const response = await postForm(
      url(provider, "/token"),
      { grant_type: CIBA_GRANT_TYPE, auth_req_id: started.auth_req_id },
      { authorization: basic("rp-push", DEMO_CLIENT_SECRET), prefer: "wait=5" },
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: "unauthorized_client",
      error_description: "the client is registered for push mode and receives its tokens at its notification endpoint",
    });
    expect(response.headers.get("preference-applied")).toBeNull();
  });

  it("pushes the access_denied error payload on denial", async () => {
    const token = notificationToken();
    const started = await startPush(token);
    const device = await deviceLogin(provider, ALICE);
    expect((await deviceDecide(provider, device, await pendingRequestId(provider, device), "deny")).status).toBe(200);
    const [push] = await pushesFor(started.auth_req_id);
    expect(push!.headers.authorization).toBe(`Bearer ${token}`);
    expect(push!.raw).toBe(
      JSON.stringify({
        auth_req_id: started.auth_req_id,
        error: "access_denied",
        error_description: "the end-user denied the authorization request",
      }),
    );
    const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-push");
    expect(delivery).toMatchObject({ kind: "push_error", status: "delivered" });
  });

  it("issues the tokens once: a retry carries the same tokens, and a second completion issues nothing", async () => {
    receiver.answer({ status: 503 }, { status: 200, body: '{"ok":true}' });
    const started = await startPush(notificationToken());
    await approveAsUser(provider, ALICE);
    const [first, second] = await pushesFor(started.auth_req_id, 2);
    expect(second!.raw).toBe(first!.raw);
    receiver.answer({ status: 204 });

    const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-push");
    expect(delivery!.log.map((a) => [a.attempt, a.http_status, a.outcome])).toEqual([
      [1, 503, "retrying"],
      [2, 200, "delivered"],
    ]);

    const request = await provider.deps.repos.authRequests.findByAuthReqId(started.auth_req_id);
    await provider.deps.notifier.requestCompleted((await provider.deps.repos.authRequests.findById(request!.id))!);
    expect(await provider.deps.repos.deliveries.listForAuthRequest(request!.id)).toHaveLength(1);
    expect(await pushesFor(started.auth_req_id)).toHaveLength(2);
  });

  it("revokes pushed tokens the client never acknowledged", async () => {
    receiver.answer({ status: 401 });
    const started = await startPush(notificationToken());
    await approveAsUser(provider, ALICE);
    const [push] = await pushesFor(started.auth_req_id);
    receiver.answer({ status: 204 });
    const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-push");
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });

    const { access_token } = push!.body as { access_token: string };
    const userinfo = await getJson(url(provider, "/userinfo"), { authorization: `Bearer ${access_token}` });
    expect(userinfo.status).toBe(401);
    expect(userinfo.body).toEqual({ error: "invalid_token", error_description: "the access token has been revoked" });
  });

  it("pushes the expired_token error payload when the request expires", async () => {
    const token = notificationToken();
    const started = await startPush(token, { requested_expiry: "30" });
    clock.advance(31_000);
    expect(await provider.sweepExpired()).toBeGreaterThanOrEqual(1);
    const [push] = await pushesFor(started.auth_req_id);
    expect(push!.headers.authorization).toBe(`Bearer ${token}`);
    expect(push!.body).toEqual({
      auth_req_id: started.auth_req_id,
      error: "expired_token",
      error_description: "the auth_req_id has expired; make a new authentication request",
    });
    await eventually(async () => {
      const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-push");
      expect(delivery).toMatchObject({ kind: "push_error", status: "delivered" });
    });
  });
});
