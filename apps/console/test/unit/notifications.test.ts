// The notification endpoints' checks without any network: bearer token, body shape, auth_req_id,
// late notifications; and the tokens the console hands out.
import { describe, expect, it } from "vitest";
import { handlePing } from "../../src/rp/ping-handler";
import type { NotificationContext, NotificationRequest, NotifiedRequest } from "../../src/rp/notification-request";
import { bearerToken, createNotificationTokenRegistry, newNotificationToken } from "../../src/rp/notification-tokens";

const pingFlow: NotifiedRequest = { flowId: "flow-1", authReqId: "req-1", mode: "ping", pending: true };
const pushFlow: NotifiedRequest = { flowId: "flow-2", authReqId: "req-2", mode: "push", pending: true };

function context(entries: Record<string, NotifiedRequest>): NotificationContext {
  return { findByToken: (token) => entries[token] ?? null };
}

function request(authorization: string | null, body: unknown): NotificationRequest {
  return {
    method: "POST",
    url: "http://localhost:3001/api/ciba/ping",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body,
    rawBody: JSON.stringify(body),
  };
}

describe("client notification tokens", () => {
  it("are 256-bit base64url values, different every time", () => {
    const tokens = new Set(Array.from({ length: 1000 }, newNotificationToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("are found by value and forgotten with their flow", () => {
    const registry = createNotificationTokenRegistry();
    const token = newNotificationToken();
    registry.register(token, "flow-1");
    expect(registry.lookup(token)).toBe("flow-1");
    expect(registry.lookup(`${token}x`)).toBeNull();
    registry.forget("flow-1");
    expect(registry.lookup(token)).toBeNull();
  });

  it("are read from an RFC 6750 Bearer header only", () => {
    expect(bearerToken("Bearer abc.DEF_-~+/=")).toBe("abc.DEF_-~+/=");
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe("handlePing", () => {
  const ctx = context({ "ping-token": pingFlow, "push-token": pushFlow, "late-token": { ...pingFlow, pending: false } });

  it("accepts {auth_req_id} with the request's own bearer token: 204", () => {
    const { response, outcome } = handlePing(request("Bearer ping-token", { auth_req_id: "req-1" }), ctx);
    expect(response).toEqual({ status: 204, headers: { "cache-control": "no-store" }, body: null });
    expect(outcome).toEqual({ accepted: true, request: pingFlow, late: false });
  });

  it("refuses a missing bearer with 401 and a bare challenge", () => {
    const { response, outcome } = handlePing(request(null, { auth_req_id: "req-1" }), ctx);
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="ciba-console"');
    expect(outcome).toMatchObject({ accepted: false, rejection: { reason: "missing_bearer", claimedAuthReqId: "req-1" } });
  });

  it("refuses an unknown bearer with 401 invalid_token", () => {
    const { response } = handlePing(request("Bearer guessed", { auth_req_id: "req-1" }), ctx);
    expect(response).toEqual({
      status: 401,
      headers: {
        "www-authenticate": 'Bearer realm="ciba-console", error="invalid_token", error_description="the bearer token is not a client_notification_token this console issued"',
        "cache-control": "no-store",
      },
      body: { error: "invalid_token", error_description: "the bearer token is not a client_notification_token this console issued" },
    });
  });

  it("refuses a push request's token at the ping endpoint with 401", () => {
    const { response } = handlePing(request("Bearer push-token", { auth_req_id: "req-2" }), ctx);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "invalid_token", error_description: "the bearer token was issued for a push request" });
  });

  it("refuses a body other than exactly {auth_req_id} with 400", () => {
    for (const body of [undefined, {}, { auth_req_id: "req-1", access_token: "x" }, { auth_req_id: 1 }]) {
      const { response } = handlePing(request("Bearer ping-token", body), ctx);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: "invalid_request", error_description: "the ping body must be a JSON object with auth_req_id only" });
    }
  });

  it("refuses another request's auth_req_id with 400", () => {
    const { response } = handlePing(request("Bearer ping-token", { auth_req_id: "req-2" }), ctx);
    expect(response.body).toEqual({ error: "invalid_request", error_description: "auth_req_id does not match the request this notification token was issued for" });
  });

  it("acknowledges a late ping for a request that already ended, and marks it late", () => {
    const { response, outcome } = handlePing(request("Bearer late-token", { auth_req_id: "req-1" }), ctx);
    expect(response.status).toBe(204);
    expect(outcome).toMatchObject({ accepted: true, late: true });
  });
});
