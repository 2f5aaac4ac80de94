// Ping mode against the real provider: the provider pings the console's notification endpoint, the
// console checks the bearer client_notification_token and then fetches the tokens. Notifications with a
// wrong or missing bearer are refused with 401 and never complete a flow.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleUrl, finalFlow, getFlow, type Stack, startFlow, startStack, waitUntil } from "../support/console";
import { deviceLogin, requestWithCode } from "../support/device";
import { type Interceptor, startInterceptor } from "../support/interceptor";

let stack: Stack;
let interceptor: Interceptor;

beforeAll(async () => {
  interceptor = await startInterceptor();
  stack = await startStack({
    notificationUrl: (url) => {
      interceptor.target = url;
      return interceptor.url;
    },
  });
});
afterAll(async () => {
  await stack.close();
  await interceptor.close();
});

const ping = (authorization: string | null, body: unknown) =>
  fetch(consoleUrl(stack, "/api/ciba/ping"), {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });

async function approveAs(loginHint: string, bindingMessage: string) {
  const device = await deviceLogin(stack.provider.url, loginHint);
  expect((await device.approve(await requestWithCode(device, bindingMessage))).status).toBe(200);
}

describe("ping mode", () => {
  it("verifies Alice by phone number: ping with the right bearer, then the token request", async () => {
    interceptor.tamper = null;
    const started = await startFlow(stack, { login_hint: "+44 7700 900123", delivery_mode: "ping", scopes: ["profile", "email", "phone"] });
    expect(started).toMatchObject({ status: "pending", hint_kind: "phone_number", client_id: "demo-ping" });

    await approveAs("alice@example.com", started.binding_message);
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("verified");
    expect(flow.identity).toMatchObject({ name: "Alice Martin", email: "alice@example.com", phone_number: "+447700900123" });
    expect(flow.timeline.map((t) => t.kind)).toContain("ping_received");
    const pingRow = flow.exchanges.find((e) => e.kind === "ping");
    expect(pingRow?.http?.response?.status).toBe(204);
    // The bearer token is masked in what the inspector keeps.
    expect(pingRow?.http?.request.headers.authorization).toMatch(/^Bearer .{6}…\(43 characters, masked\)$/);
    expect(flow.exchanges.findIndex((e) => e.kind === "ping")).toBeLessThan(flow.exchanges.findIndex((e) => e.kind === "token"));
    expect(interceptor.seen.at(-1)?.status).toBe(204);
  });

  it("answers a ping with a wrong bearer token 401 and keeps waiting for the real one", async () => {
    interceptor.tamper = null;
    const started = await startFlow(stack, { login_hint: "40012345", delivery_mode: "ping", scopes: ["profile"] });
    expect(started.hint_kind).toBe("customer_number");

    const forged = await ping("Bearer forged-token-forged-token-forged-token", { auth_req_id: started.auth_req_id });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toBe(
      'Bearer realm="ciba-console", error="invalid_token", error_description="the bearer token is not a client_notification_token this console issued"',
    );
    expect(await forged.json()).toEqual({
      error: "invalid_token",
      error_description: "the bearer token is not a client_notification_token this console issued",
    });

    const missing = await ping(null, { auth_req_id: started.auth_req_id });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="ciba-console"');
    expect(await missing.json()).toEqual({ error: "invalid_token", error_description: "a bearer client_notification_token is required" });

    const refused = await getFlow(stack, started.id);
    expect(refused.status).toBe("pending");
    expect(refused.rejected_notifications).toBe(2);
    expect(refused.timeline.filter((t) => t.kind === "ping_rejected").map((t) => t.title)).toEqual(["Ping refused (HTTP 401)", "Ping refused (HTTP 401)"]);

    await approveAs("alice@example.com", started.binding_message);
    expect((await finalFlow(stack, started.id)).status).toBe("verified");
  });

  it("refuses a ping with the right bearer but another request's auth_req_id (400) and never completes on it", async () => {
    const started = await startFlow(stack, { login_hint: "bob@example.com", delivery_mode: "ping", scopes: [] });
    let tampered = false;
    interceptor.tamper = (message) => {
      if (tampered) return message;
      tampered = true;
      return { ...message, body: JSON.stringify({ auth_req_id: "someone-elses-request-id" }) };
    };
    await approveAs("bob@example.com", started.binding_message);
    await waitUntil(() => interceptor.seen.some((s) => s.status === 400), "the tampered ping");
    expect(interceptor.seen.find((s) => s.status === 400)?.body).toBe(JSON.stringify({ auth_req_id: started.auth_req_id }));
    const flow = await getFlow(stack, started.id);
    expect(flow.status).toBe("pending");
    expect(flow.timeline.find((t) => t.kind === "ping_rejected")?.detail).toBe("auth_req_id does not match the request this notification token was issued for");
    expect(flow.exchanges.find((e) => e.kind === "ping_rejected")?.http?.response).toMatchObject({
      status: 400,
      body: JSON.stringify({ error: "invalid_request", error_description: "auth_req_id does not match the request this notification token was issued for" }, null, 2),
    });
    interceptor.tamper = null;
  });

  it("ends in denied when Carol declines: the token request after the ping answers access_denied", async () => {
    interceptor.tamper = null;
    const started = await startFlow(stack, { login_hint: "carol@example.com", delivery_mode: "ping", scopes: [] });
    const device = await deviceLogin(stack.provider.url, "carol@example.com");
    expect((await device.deny(await requestWithCode(device, started.binding_message))).status).toBe(200);
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("denied");
    expect(flow.error).toMatchObject({ code: "access_denied", description: "the end-user denied the authorization request" });
  });
});
