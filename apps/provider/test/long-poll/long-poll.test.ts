// Long polling, this provider's opt-in extension of the CIBA token request: `Prefer: wait=N`
// (RFC 7240) holds a pending request's token request until the request ends or N seconds (capped by
// the server) pass. The interval rule still holds, counting a held request as a poll at its start.
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preferredWait } from "../../src/delivery/long-poll";
import { createTestClock } from "../support/clock";
import { eventually, notificationToken, notifiedClient } from "../support/deliveries";
import { ALICE, approveAsUser, deviceDecide, deviceLogin, pendingRequestId, startRequest, url } from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";

function tokenRequest(provider: TestProvider, authReqId: string, prefer?: string, clientId = "demo-poll"): Promise<JsonResponse> {
  const headers: Record<string, string> = { authorization: basic(clientId, DEMO_CLIENT_SECRET) };
  if (prefer) headers.prefer = prefer;
  return postForm(url(provider, "/token"), { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId }, headers);
}

/** A long-poll token request the test can abandon, as a client that goes away. */
function abandonableTokenRequest(provider: TestProvider, authReqId: string, signal: AbortSignal): Promise<Response> {
  return fetch(url(provider, "/token"), {
    method: "POST",
    headers: {
      authorization: basic("demo-poll", DEMO_CLIENT_SECRET),
      prefer: "wait=10",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId }).toString(),
    signal,
  });
}

/** Resolves once the provider has counted the held token request as a poll. */
async function held(provider: TestProvider, authReqId: string) {
  await eventually(async () => {
    const request = await provider.deps.repos.authRequests.findByAuthReqId(authReqId);
    if (!request?.lastPolledAt) throw new Error("not polled yet");
  });
}

describe("Prefer: wait", () => {
  it("parses the wait preference as RFC 7240 writes it", () => {
    expect(preferredWait(undefined)).toBeNull();
    expect(preferredWait("wait=10")).toBe(10);
    expect(preferredWait("WAIT = 7")).toBe(7);
    expect(preferredWait('wait="12"')).toBe(12);
    expect(preferredWait("respond-async, wait=5")).toBe(5);
    expect(preferredWait(["return=minimal", "wait=3"])).toBe(3);
    expect(preferredWait("wait=5, wait=9")).toBe(5);
    expect(preferredWait("wait=5;foo=bar")).toBe(5);
    expect(preferredWait("handling=lenient; wait=3")).toBeNull();
    expect(preferredWait("wait=0")).toBeNull();
    expect(preferredWait("wait=-1")).toBeNull();
    expect(preferredWait("wait=1.5")).toBeNull();
    expect(preferredWait("wait=soon")).toBeNull();
    expect(preferredWait("wait")).toBeNull();
    expect(preferredWait('foo="a,b", wait=4')).toBe(4);
  });
});

describe("long polling", () => {
  const clock = createTestClock();
  let provider: TestProvider;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    provider = await startTestProvider({ clock });
    await notifiedClient(provider, "rp-ping", "ping", receiver.url("/ping"));
  });
  afterAll(async () => {
    await provider.close();
    await receiver.close();
  });

  it("answers a token request sent with Prefer: wait=10 as soon as the user approves, before the interval allows a new poll", async () => {
    const started = await startRequest(provider);
    expect(started.interval).toBe(5);
    const answer = tokenRequest(provider, started.auth_req_id, "wait=10");
    await held(provider, started.auth_req_id);

    const approvedAt = performance.now();
    await approveAsUser(provider, ALICE);
    const response = await answer;
    const afterApproval = performance.now() - approvedAt;

    expect(response.status).toBe(200);
    expect(response.headers.get("preference-applied")).toBe("wait=10");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toMatchObject({ token_type: "Bearer", access_token: expect.any(String) as string });
    expect(afterApproval).toBeLessThan(started.interval! * 1000);
  });

  it("keeps the standard behaviour without the header: authorization_pending at once", async () => {
    const started = await startRequest(provider);
    const response = await tokenRequest(provider, started.auth_req_id);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "authorization_pending", error_description: "the end-user has not yet been authenticated" });
    expect(response.headers.get("preference-applied")).toBeNull();
  });

  it("answers access_denied the moment the user denies", async () => {
    const started = await startRequest(provider);
    const answer = tokenRequest(provider, started.auth_req_id, "wait=10");
    await held(provider, started.auth_req_id);
    const device = await deviceLogin(provider, ALICE);
    await deviceDecide(provider, device, await pendingRequestId(provider, device), "deny");
    const response = await answer;
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "access_denied", error_description: "the end-user denied the authorization request" });
    expect(response.headers.get("preference-applied")).toBe("wait=10");
  });

  it("answers expired_token when the request expires while held", async () => {
    const started = await startRequest(provider, ALICE, "demo-poll", { requested_expiry: "30" });
    const answer = tokenRequest(provider, started.auth_req_id, "wait=20");
    await held(provider, started.auth_req_id);
    clock.advance(31_000);
    await provider.sweepExpired();
    const response = await answer;
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: "expired_token",
      error_description: "the auth_req_id has expired; make a new authentication request",
    });
  });

  it("does not hold a poll that comes too soon: slow_down at once", async () => {
    const started = await startRequest(provider);
    expect((await tokenRequest(provider, started.auth_req_id)).body).toMatchObject({ error: "authorization_pending" });
    const response = await tokenRequest(provider, started.auth_req_id, "wait=10");
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "slow_down", error_description: "polling too fast: wait at least 10 seconds between token requests" });
    expect(response.headers.get("preference-applied")).toBeNull();
  });

  it("redeems nothing for a client that went away while held", async () => {
    const started = await startRequest(provider);
    const controller = new AbortController();
    const answer = abandonableTokenRequest(provider, started.auth_req_id, controller.signal);
    await held(provider, started.auth_req_id);
    controller.abort();
    await expect(answer).rejects.toThrow();

    await approveAsUser(provider, ALICE);
    clock.advance(5_000);
    const response = await tokenRequest(provider, started.auth_req_id);
    expect(response.status).toBe(200);
    expect(response.body.access_token).toEqual(expect.any(String));
  });

  it("works for a ping client too", async () => {
    const started = await startRequest(provider, ALICE, "rp-ping", { client_notification_token: notificationToken() });
    const answer = tokenRequest(provider, started.auth_req_id, "wait=10", "rp-ping");
    await held(provider, started.auth_req_id);
    await approveAsUser(provider, ALICE);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.headers.get("preference-applied")).toBe("wait=10");
  });
});

describe("long polling limits", () => {
  const clock = createTestClock();
  let provider: TestProvider;

  beforeAll(async () => {
    provider = await startTestProvider({ clock, env: { CIBA_LONG_POLL_MAX_WAIT: "1" } });
  });
  afterAll(() => provider.close());

  it("caps the wait at the server's maximum and says so, then answers authorization_pending", async () => {
    const started = await startRequest(provider);
    const response = await tokenRequest(provider, started.auth_req_id, "wait=600");
    expect(response.status).toBe(400);
    expect(response.headers.get("preference-applied")).toBe("wait=1");
    expect(response.body).toEqual({ error: "authorization_pending", error_description: "the end-user has not yet been authenticated" });
  });

  it("counts a held request as a poll at its start: polling again before the interval is slow_down", async () => {
    const started = await startRequest(provider);
    expect((await tokenRequest(provider, started.auth_req_id, "wait=1")).body).toMatchObject({ error: "authorization_pending" });
    const again = await tokenRequest(provider, started.auth_req_id, "wait=1");
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: "slow_down" });
    clock.advance(10_000);
    expect((await tokenRequest(provider, started.auth_req_id, "wait=1")).body).toMatchObject({ error: "authorization_pending" });
  });
});

describe("long polling at shutdown", () => {
  it("answers a held request when the provider shuts down, and the shutdown completes", async () => {
    const provider = await startTestProvider();
    const started = await startRequest(provider);
    const answer = tokenRequest(provider, started.auth_req_id, "wait=30");
    await held(provider, started.auth_req_id);
    const closing = provider.close();
    const response = await answer;
    await closing;
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "authorization_pending", error_description: "the end-user has not yet been authenticated" });
  });
});
