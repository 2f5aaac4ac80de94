// CIBA Core §10.1 and §11: the poll state machine of the CIBA grant, each rule with its exact error.
// The provider runs on a test clock, so intervals and expiry are exercised without sleeping.
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../support/clock";
import {
  ALICE,
  approveAsUser,
  createClient,
  deviceDecide,
  deviceLogin,
  pendingRequestId,
  pollToken,
  startRequest,
  url,
} from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const clock = createTestClock();
let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider({ clock });
  await createClient(provider, "other-poll", "poll");
});
afterAll(() => provider.close());

function expectTokenError(response: JsonResponse, error: string, description?: string) {
  expect(response.status).toBe(400);
  expect(response.body.error).toBe(error);
  if (description) expect(response.body.error_description).toBe(description);
  expect(response.headers.get("cache-control")).toBe("no-store");
}

describe("the CIBA grant", () => {
  it("is authorization_pending until the user decides", async () => {
    const { auth_req_id } = await startRequest(provider);
    expectTokenError(await pollToken(provider, auth_req_id), "authorization_pending", "the end-user has not yet been authenticated");
  });

  it("answers a poll sooner than the interval with slow_down, and adds 5 s for every later poll", async () => {
    const { auth_req_id, interval } = await startRequest(provider);
    expect(interval).toBe(5);
    expectTokenError(await pollToken(provider, auth_req_id), "authorization_pending");

    clock.advance(1000);
    expectTokenError(await pollToken(provider, auth_req_id), "slow_down", "polling too fast: wait at least 10 seconds between token requests");

    // The old interval is no longer enough.
    clock.advance(5000);
    expectTokenError(await pollToken(provider, auth_req_id), "slow_down", "polling too fast: wait at least 15 seconds between token requests");

    clock.advance(15_000);
    expectTokenError(await pollToken(provider, auth_req_id), "authorization_pending");
    const stored = await provider.deps.repos.authRequests.findByAuthReqId(auth_req_id);
    expect(stored!.interval).toBe(15);
  });

  it("issues tokens once the user approved, with Cache-Control: no-store", async () => {
    const { auth_req_id } = await startRequest(provider);
    await approveAsUser(provider, ALICE);
    const response = await pollToken(provider, auth_req_id);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    expect(Object.keys(response.body).sort()).toEqual(["access_token", "expires_in", "id_token", "refresh_token", "scope", "token_type"]);
    expect(response.body.token_type).toBe("Bearer");
    expect(response.body.expires_in).toBe(600);
    expect(response.body.scope).toBe("openid profile email phone");
  });

  it("answers approved requests at once, even within the interval", async () => {
    const { auth_req_id } = await startRequest(provider);
    expectTokenError(await pollToken(provider, auth_req_id), "authorization_pending");
    await approveAsUser(provider, ALICE);
    expect((await pollToken(provider, auth_req_id)).status).toBe(200);
  });

  it("refuses a second redemption with invalid_grant and revokes what the first issued", async () => {
    const { auth_req_id } = await startRequest(provider);
    await approveAsUser(provider, ALICE);
    const first = await pollToken(provider, auth_req_id);
    expect(first.status).toBe(200);
    expectTokenError(await pollToken(provider, auth_req_id), "invalid_grant",
      "auth_req_id has already been redeemed; the tokens issued for it are revoked");
    const userinfo = await fetch(url(provider, "/userinfo"), { headers: { authorization: `Bearer ${first.body.access_token as string}` } });
    expect(userinfo.status).toBe(401);
  });

  it("answers access_denied after a denial, and never tokens afterwards", async () => {
    const { auth_req_id } = await startRequest(provider);
    const token = await deviceLogin(provider, ALICE);
    await deviceDecide(provider, token, await pendingRequestId(provider, token), "deny");
    for (let i = 0; i < 3; i++) {
      expectTokenError(await pollToken(provider, auth_req_id), "access_denied", "the end-user denied the authorization request");
    }
  });

  it("answers expired_token once the request has expired", async () => {
    const { auth_req_id } = await startRequest(provider, ALICE, "demo-poll", { requested_expiry: "30" });
    clock.advance(31_000);
    expectTokenError(await pollToken(provider, auth_req_id), "expired_token", "the auth_req_id has expired; make a new authentication request");
    // Also once the sweeper has marked it expired.
    await provider.sweepExpired();
    const stored = await provider.deps.repos.authRequests.findByAuthReqId(auth_req_id);
    expect(stored!.status).toBe("expired");
    expectTokenError(await pollToken(provider, auth_req_id), "expired_token");
  });

  it("refuses an unknown auth_req_id with invalid_grant", async () => {
    expectTokenError(await pollToken(provider, "no-such-request"), "invalid_grant", "auth_req_id is unknown or was issued to another client");
  });

  it("refuses another client's auth_req_id with invalid_grant, and the owner can still redeem it", async () => {
    const { auth_req_id } = await startRequest(provider);
    await approveAsUser(provider, ALICE);
    expectTokenError(await pollToken(provider, auth_req_id, "other-poll"), "invalid_grant", "auth_req_id is unknown or was issued to another client");
    expect((await pollToken(provider, auth_req_id)).status).toBe(200);
  });

  it("requires auth_req_id", async () => {
    const response = await postForm(url(provider, "/token"), { grant_type: CIBA_GRANT_TYPE }, { authorization: basic("demo-poll", "demo-secret") });
    expectTokenError(response, "invalid_request", "auth_req_id is required");
  });

  it("refuses push clients with unauthorized_client", async () => {
    expectTokenError(await pollToken(provider, "anything", "demo-push"), "unauthorized_client",
      "the client is registered for push mode and receives its tokens at its notification endpoint");
  });

  it("lets a ping client poll", async () => {
    const response = await postForm(
      url(provider, "/backchannel-authentication"),
      { scope: "openid", login_hint: ALICE, client_notification_token: "n".repeat(32) },
      { authorization: basic("demo-ping", "demo-secret") },
    );
    expectTokenError(await pollToken(provider, response.body.auth_req_id as string, "demo-ping"), "authorization_pending");
  });

  it("records every poll in the protocol event log", async () => {
    const { auth_req_id } = await startRequest(provider);
    await pollToken(provider, auth_req_id);
    clock.advance(100);
    await pollToken(provider, auth_req_id);
    const request = await provider.deps.repos.authRequests.findByAuthReqId(auth_req_id);
    const events = await provider.deps.repos.protocolEvents.listForAuthRequest(request!.id);
    expect(events.map((e) => e.type)).toEqual(["request.created", "device.notified", "request.polled", "request.polled", "request.slowed_down"]);
    expect(events.map((e) => e.data.result).filter(Boolean)).toEqual(["authorization_pending", "slow_down"]);
  });
});
