// The delivery log API (GET or POST /ciba/deliveries): client-authenticated, one auth_req_id of the
// caller's own, spec-style errors, never a payload.
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryLog, notificationToken, notifiedClient, settledDeliveries } from "../support/deliveries";
import { ALICE, approveAsUser, startRequest, url } from "../support/flows";
import { basic, getJson, postForm } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
let receiver: Receiver;
let authReqId: string;

beforeAll(async () => {
  receiver = await startReceiver();
  provider = await startTestProvider({ env: { DELIVERY_RETRY_BASE_MS: "50" } });
  await notifiedClient(provider, "rp-ping", "ping", receiver.url("/ping"));
  await notifiedClient(provider, "rp-other", "ping", receiver.url("/other"));
  receiver.answer({ status: 502 }, { status: 204 });
  ({ auth_req_id: authReqId } = await startRequest(provider, ALICE, "rp-ping", { client_notification_token: notificationToken() }));
  await approveAsUser(provider, ALICE);
  await settledDeliveries(provider, authReqId, "rp-ping");
});
afterAll(async () => {
  await provider.close();
  await receiver.close();
});

const endpoint = () => url(provider, "/ciba/deliveries");

describe("delivery log API", () => {
  it("lists the request's deliveries and every attempt", async () => {
    const log = await deliveryLog(provider, authReqId, "rp-ping");
    expect(log.status).toBe(200);
    expect(log.headers.get("cache-control")).toBe("no-store");
    expect(log.body.auth_req_id).toBe(authReqId);
    expect(log.body.deliveries).toHaveLength(1);
    const { id, created_at, completed_at, log: attempts, ...delivery } = log.body.deliveries[0]!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(completed_at!)).toBeGreaterThanOrEqual(Date.parse(created_at));
    expect(delivery).toEqual({ kind: "ping", endpoint: receiver.url("/ping"), status: "delivered", attempts: 2, next_attempt_at: null });
    const timed = attempts.map(({ started_at, latency_ms, ...attempt }) => ({
      ...attempt,
      timed: latency_ms >= 0 && !Number.isNaN(Date.parse(started_at)),
    }));
    expect(timed).toEqual([
      { attempt: 1, http_status: 502, error: null, outcome: "retrying", timed: true },
      { attempt: 2, http_status: 204, error: null, outcome: "delivered", timed: true },
    ]);
    expect(JSON.stringify(log.body)).not.toContain("payload");
  });

  it("answers the same through POST with a form body", async () => {
    const viaPost = await postForm(endpoint(), { auth_req_id: authReqId }, { authorization: basic("rp-ping", DEMO_CLIENT_SECRET) });
    expect(viaPost.status).toBe(200);
    expect(viaPost.body).toEqual((await deliveryLog(provider, authReqId, "rp-ping")).body);
  });

  it("requires client authentication", async () => {
    const response = await getJson(`${endpoint()}?auth_req_id=${authReqId}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "invalid_client", error_description: "client authentication is required: no client credentials" });
    const wrong = await deliveryLog(provider, authReqId, "rp-ping", "not-the-secret");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: "invalid_client" });
  });

  it("hides other clients' requests: 404", async () => {
    const response = await deliveryLog(provider, authReqId, "rp-other");
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: "not_found", error_description: "auth_req_id is unknown or was issued to another client" });
    const unknown = await deliveryLog(provider, "no-such-request", "rp-ping");
    expect(unknown.status).toBe(404);
  });

  it("rejects a missing, repeated or unknown parameter, and secrets in the URL", async () => {
    const auth = { authorization: basic("rp-ping", DEMO_CLIENT_SECRET) };
    expect((await getJson(endpoint(), auth)).body).toEqual({ error: "invalid_request", error_description: "auth_req_id is required" });
    expect((await getJson(`${endpoint()}?auth_req_id=a&auth_req_id=b`, auth)).body).toEqual({
      error: "invalid_request",
      error_description: "parameter auth_req_id is included more than once",
    });
    expect((await getJson(`${endpoint()}?auth_req_id=${authReqId}&verbose=1`, auth)).body).toEqual({
      error: "invalid_request",
      error_description: "parameter verbose is not supported here",
    });
    const leaked = await getJson(`${endpoint()}?auth_req_id=${authReqId}&client_id=rp-ping&client_secret=${DEMO_CLIENT_SECRET}`);
    expect(leaked.status).toBe(400);
    expect(leaked.body).toEqual({
      error: "invalid_request",
      error_description: "client_secret must not be sent in the URL; use POST with a form body",
    });
  });

  it("allows only GET and POST", async () => {
    const response = await fetch(endpoint(), { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
  });
});
