// GET /device/history: the signed-in user's ended requests, newest first, for the device's activity list.
import { DEMO_CLIENT_NAME } from "@ciba/db";
import { deviceHistorySchema } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../support/clock";
import { ALICE, BOB, deviceDecide, deviceLogin, pendingRequestId, startRequest, url } from "../support/flows";
import { getJson, postJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const clock = createTestClock(new Date("2030-01-01T09:00:00.000Z"));
let provider: TestProvider;
let alice: string;
let bob: string;

beforeAll(async () => {
  provider = await startTestProvider({ clock });
  alice = await deviceLogin(provider, ALICE);
  bob = await deviceLogin(provider, BOB);
});
afterAll(() => provider.close());

const history = (token: string) => getJson<unknown[]>(url(provider, "/device/history"), { authorization: `Bearer ${token}` });

describe("GET /device/history", () => {
  it("requires a device token", async () => {
    const response = await getJson(url(provider, "/device/history"));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: "invalid_token",
      error_description: "a device token is required: Authorization: Bearer <device_token>",
    });
  });

  it("is empty before any request has ended", async () => {
    await startRequest(provider, ALICE, "demo-poll", { binding_message: "PENDING1" });
    const response = await history(alice);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toEqual([]);
  });

  it("lists approved, fraud-flagged and expired requests newest first, with when each was decided", async () => {
    // The pending request from the previous test is decided first: approved at 09:00:05.
    clock.advance(5_000);
    const approvedId = await pendingRequestId(provider, alice);
    expect((await deviceDecide(provider, alice, approvedId, "approve")).status).toBe(200);

    clock.advance(5_000);
    await startRequest(provider, ALICE, "demo-poll", { binding_message: "FRAUD1" });
    const fraudId = await pendingRequestId(provider, alice);
    expect((await deviceDecide(provider, alice, fraudId, "deny", { reason: "suspected_fraud" })).status).toBe(200);

    clock.advance(5_000);
    await startRequest(provider, ALICE, "demo-poll", { binding_message: "EXPIRE1", requested_expiry: "30" });
    const expiredId = await pendingRequestId(provider, alice);
    clock.advance(30_000);
    // The background sweeper may get there first; either way the request is expired once this resolves.
    await provider.sweepExpired();

    const response = await history(alice);
    expect(response.status).toBe(200);
    const entries = deviceHistorySchema.parse(response.body);
    expect(entries).toEqual([
      {
        id: expiredId,
        client_name: DEMO_CLIENT_NAME,
        binding_message: "EXPIRE1",
        scope: "openid profile email phone",
        authorization_details: null,
        status: "expired",
        suspected_fraud: false,
        description: null,
        created_at: "2030-01-01T09:00:15.000Z",
        decided_at: "2030-01-01T09:00:45.000Z",
      },
      {
        id: fraudId,
        client_name: DEMO_CLIENT_NAME,
        binding_message: "FRAUD1",
        scope: "openid profile email phone",
        authorization_details: null,
        status: "denied",
        suspected_fraud: true,
        description: "the end-user reported that they are not on a call: suspected fraud",
        created_at: "2030-01-01T09:00:10.000Z",
        decided_at: "2030-01-01T09:00:10.000Z",
      },
      {
        id: approvedId,
        client_name: DEMO_CLIENT_NAME,
        binding_message: "PENDING1",
        scope: "openid profile email phone",
        authorization_details: null,
        status: "approved",
        suspected_fraud: false,
        description: null,
        created_at: "2030-01-01T09:00:00.000Z",
        decided_at: "2030-01-01T09:00:05.000Z",
      },
    ]);
  });

  it("never shows one user's requests to another", async () => {
    const response = await history(bob);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  it("is refused after sign-out", async () => {
    const token = await deviceLogin(provider, ALICE);
    expect((await postJson(url(provider, "/device/logout"), undefined, { authorization: `Bearer ${token}` })).status).toBe(204);
    const response = await history(token);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: "invalid_token",
      error_description: "the device session is unknown or has expired; sign in again",
    });
  });

  it("answers other methods with 405 and an Allow header", async () => {
    const response = await postJson(url(provider, "/device/history"), {}, { authorization: `Bearer ${alice}` });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect(response.body).toEqual({ error: "method_not_allowed", error_description: "POST is not allowed here; use GET" });
  });
});
