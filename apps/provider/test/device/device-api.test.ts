// The Authentication Device API: sign-in with a PIN (throttled), the user's pending requests, and the
// decision, with 401/404/409 where they belong.
import { DEMO_PIN, demoUsers } from "@ciba/db";
import { deviceRequestListSchema } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../support/clock";
import { ALICE, BOB, deviceDecide, deviceLogin, devicePending, pollToken, startRequest, url } from "../support/flows";
import { getJson, postJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const clock = createTestClock();
const anyString: unknown = expect.any(String);
let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider({ clock })));
afterAll(() => provider.close());

describe("POST /device/login", () => {
  it("returns a device token and the user", async () => {
    const response = await postJson(url(provider, "/device/login"), { login_hint: ALICE, pin: DEMO_PIN });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toEqual({ device_token: anyString, user: { sub: demoUsers[0].sub, name: "Alice Martin" } });
  });

  it("accepts a phone number or customer number as login hint", async () => {
    expect((await postJson(url(provider, "/device/login"), { login_hint: demoUsers[1].phoneNumber, pin: DEMO_PIN })).status).toBe(200);
    expect((await postJson(url(provider, "/device/login"), { login_hint: demoUsers[1].customerNumber, pin: DEMO_PIN })).status).toBe(200);
  });

  it("refuses a wrong PIN with 401 and counts down the attempts left", async () => {
    const response = await postJson(url(provider, "/device/login"), { login_hint: "carol@example.com", pin: "0000" });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "invalid_credentials", error_description: "wrong PIN; 4 attempts left" });
    // A right PIN resets the count.
    expect((await postJson(url(provider, "/device/login"), { login_hint: "carol@example.com", pin: DEMO_PIN })).status).toBe(200);
  });

  it("locks the PIN after 5 wrong attempts, even for the right PIN, until the lock passes", async () => {
    const attempt = (pin: string) => postJson(url(provider, "/device/login"), { login_hint: BOB, pin });
    for (let i = 4; i >= 1; i--) {
      expect((await attempt("9999")).body.error_description).toBe(`wrong PIN; ${i} attempt${i === 1 ? "" : "s"} left`);
    }
    expect((await attempt("9999")).body.error_description).toBe("wrong PIN; the PIN is locked for 300 seconds");
    const locked = await attempt(DEMO_PIN);
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({ error: "too_many_requests", error_description: "too many wrong PINs; try again in 300 seconds" });
    expect(locked.headers.get("retry-after")).toBe("300");
    clock.advance(301_000);
    expect((await attempt(DEMO_PIN)).status).toBe(200);
  });

  it("refuses an unknown user with 401", async () => {
    const response = await postJson(url(provider, "/device/login"), { login_hint: "nobody@example.com", pin: DEMO_PIN });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "invalid_credentials", error_description: "no user matches this login hint" });
  });

  it.each([
    [{}, "login_hint: Invalid input: expected string, received undefined"],
    [{ login_hint: ALICE }, "pin: Invalid input: expected string, received undefined"],
    [{ login_hint: 42, pin: DEMO_PIN }, "login_hint: Invalid input: expected string, received number"],
  ])("refuses a malformed body %# with invalid_request", async (body, description) => {
    const response = await postJson(url(provider, "/device/login"), body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "invalid_request", error_description: description });
  });

  it("refuses a body that is not JSON", async () => {
    const response = await fetch(url(provider, "/device/login"), { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "request body is not valid JSON" });
  });
});

describe("GET /device/requests", () => {
  it("lists the user's pending requests only, without the auth_req_id", async () => {
    const aliceToken = await deviceLogin(provider, ALICE);
    const bobToken = await deviceLogin(provider, "+447700900456");
    const before = (await devicePending(provider, aliceToken)).body.length;
    const { auth_req_id } = await startRequest(provider, ALICE, "demo-poll", { binding_message: "K9P2" });

    const { status, body } = await getJson(url(provider, "/device/requests"), { authorization: `Bearer ${aliceToken}` });
    expect(status).toBe(200);
    const list = deviceRequestListSchema.parse(body);
    expect(list).toHaveLength(before + 1);
    const mine = list.at(-1)!;
    expect(mine).toEqual({
      id: anyString,
      client_name: "Acme Bank call centre",
      binding_message: "K9P2",
      scope: "openid profile email phone",
      acr_values: null,
      authorization_details: null,
      created_at: anyString,
      expires_at: anyString,
    });
    expect(mine.id).not.toBe(auth_req_id);
    expect(JSON.stringify(body)).not.toContain(auth_req_id);
    expect((await devicePending(provider, bobToken)).body.some((r) => r.id === mine.id)).toBe(false);
  });

  it("requires a device token", async () => {
    const { status, body, headers } = await getJson(url(provider, "/device/requests"));
    expect(status).toBe(401);
    expect(body).toEqual({ error: "invalid_token", error_description: "a device token is required: Authorization: Bearer <device_token>" });
    expect(headers.get("www-authenticate")).toMatch(/^Bearer realm="device"/);
  });

  it("refuses an unknown or signed-out device token", async () => {
    const token = await deviceLogin(provider, ALICE);
    await fetch(url(provider, "/device/logout"), { method: "POST", headers: { authorization: `Bearer ${token}` } });
    const { status, body } = await getJson(url(provider, "/device/requests"), { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(body).toEqual({ error: "invalid_token", error_description: "the device session is unknown or has expired; sign in again" });
  });
});

describe("approve and deny", () => {
  async function pending(loginHint = ALICE) {
    const token = await deviceLogin(provider, loginHint);
    const { auth_req_id } = await startRequest(provider, loginHint);
    const { body } = await devicePending(provider, token);
    return { token, auth_req_id, id: body.at(-1)!.id };
  }

  it("approves with the PIN re-confirmed", async () => {
    const { token, id, auth_req_id } = await pending();
    const response = await deviceDecide(provider, token, id, "approve", { pin: DEMO_PIN });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id, status: "approved" });
    expect((await pollToken(provider, auth_req_id)).status).toBe(200);
  });

  it("approves without a body", async () => {
    const { token, id } = await pending();
    const response = await fetch(url(provider, `/device/requests/${id}/approve`), { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const stored = await provider.deps.repos.authRequests.findById(id);
    expect(stored!.amr).toEqual(["swk"]);
    expect(stored!.acr).toBe("urn:ciba:acr:possession");
  });

  it("does not approve with a wrong PIN", async () => {
    const { token, id, auth_req_id } = await pending("carol@example.com");
    const response = await deviceDecide(provider, token, id, "approve", { pin: "0000" });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "invalid_credentials", error_description: "wrong PIN; 4 attempts left" });
    expect((await pollToken(provider, auth_req_id)).body.error).toBe("authorization_pending");
    await postJson(url(provider, "/device/login"), { login_hint: "carol@example.com", pin: DEMO_PIN });
  });

  it("denies, and records a suspected fraud when the user is not on a call", async () => {
    const { token, id, auth_req_id } = await pending();
    const response = await deviceDecide(provider, token, id, "deny", { reason: "suspected_fraud" });
    expect(response.body).toEqual({ id, status: "denied" });
    const stored = await provider.deps.repos.authRequests.findById(id);
    expect(stored!.suspectedFraud).toBe(true);
    const poll = await pollToken(provider, auth_req_id);
    expect(poll.body).toEqual({
      error: "access_denied",
      error_description: "the end-user reported that they are not on a call: suspected fraud",
    });
  });

  it("answers 404 for an unknown id and for another user's request", async () => {
    const { id } = await pending();
    const bobToken = await deviceLogin(provider, "+447700900456");
    for (const target of ["unknown-id", id]) {
      const response = await deviceDecide(provider, bobToken, target, "approve", {});
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: "not_found", error_description: "no such request for this user" });
    }
  });

  it("answers 409 for a request already decided or expired", async () => {
    const { token, id } = await pending();
    expect((await deviceDecide(provider, token, id, "deny", {})).status).toBe(200);
    const again = await deviceDecide(provider, token, id, "approve", {});
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: "conflict", error_description: "the request was already denied" });

    const expiring = await pending();
    clock.advance(301_000);
    const late = await deviceDecide(provider, expiring.token, expiring.id, "approve", {});
    expect(late.status).toBe(409);
    expect(late.body).toEqual({ error: "conflict", error_description: "the request has expired" });
  });

  it("refuses an unknown body member", async () => {
    const { token, id } = await pending();
    const response = await deviceDecide(provider, token, id, "deny", { reason: "bored" });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("invalid_request");
  });
});
