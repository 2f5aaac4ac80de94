// Push mode against the real provider: the provider pushes the tokens to the console, which validates
// the ID token (signature against the JWKS, iss, aud, exp, at_hash, rt_hash, auth_req_id) before it
// accepts them. A push tampered with on the way — a wrong at_hash, a foreign signature, a refresh token
// that does not match rt_hash — is refused with 400 and never shown as a success.
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finalFlow, getFlow, type Stack, startFlow, startStack, waitUntil } from "../support/console";
import { deviceLogin, requestWithCode } from "../support/device";
import { type Intercepted, type Interceptor, startInterceptor, type Tamper } from "../support/interceptor";

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

async function decide(loginHint: string, bindingMessage: string, action: "approve" | "deny" = "approve") {
  const device = await deviceLogin(stack.provider.url, loginHint);
  const id = await requestWithCode(device, bindingMessage);
  expect((action === "approve" ? await device.approve(id) : await device.deny(id)).status).toBe(200);
}

/** Tampers with the token push only (not with error pushes), once. */
function tamperTokens(change: (body: Record<string, string>) => Promise<Record<string, string>> | Record<string, string>): Tamper {
  let done = false;
  return async (message: Intercepted) => {
    const body = JSON.parse(message.body) as Record<string, string>;
    if (done || !body.access_token) return message;
    done = true;
    return { ...message, body: JSON.stringify(await change(body)) };
  };
}

/** Starts a push flow for Bob, has the push tampered with, and returns the flow once the push was refused. */
async function refusedPush(tamper: Tamper) {
  interceptor.tamper = tamper;
  interceptor.seen = [];
  const started = await startFlow(stack, { login_hint: "bob@example.com", delivery_mode: "push", scopes: ["profile", "offline_access"] });
  await decide("bob@example.com", started.binding_message);
  await waitUntil(() => interceptor.seen.some((s) => s.path === "/api/ciba/push"), "the push");
  const flow = await getFlow(stack, started.id);
  interceptor.tamper = null;
  return { flow, status: interceptor.seen.find((s) => s.path === "/api/ciba/push")?.status };
}

describe("push mode", () => {
  it("verifies Alice by customer number from validated pushed tokens", async () => {
    interceptor.tamper = null;
    const started = await startFlow(stack, { login_hint: "40012345", delivery_mode: "push", scopes: ["profile", "email", "phone"] });
    expect(started).toMatchObject({ status: "pending", client_id: "demo-push", interval: null });
    await decide("alice@example.com", started.binding_message);

    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("verified");
    expect(flow.identity).toMatchObject({ name: "Alice Martin", email: "alice@example.com", phone_number: "+447700900123" });
    expect(flow.exchanges.map((e) => e.kind)).not.toContain("token");
    const push = flow.exchanges.find((e) => e.kind === "push");
    expect(push?.http?.response?.status).toBe(204);
    expect(push?.http?.request.body).not.toContain(".eyJ");
    expect(push?.jwts.map((j) => j.label)).toEqual(["ID token", "Access token (RFC 9068 JWT)"]);
    const validation = flow.exchanges.find((e) => e.kind === "id_token_validation");
    expect(validation?.checks.every((c) => c.ok)).toBe(true);
    expect(validation?.checks.find((c) => c.label === "auth_req_id claim")?.detail).toBe("matches this request's auth_req_id");
    expect(validation?.jwts[0]?.signature.status).toBe("verified");
  });

  it("refuses a push whose ID token has a wrong at_hash (the access token was swapped)", async () => {
    const { flow, status } = await refusedPush(tamperTokens((body) => ({ ...body, access_token: `${body.access_token}x` })));
    expect(status).toBe(400);
    expect(flow.status).toBe("pending");
    expect(flow.identity).toBeNull();
    expect(flow.rejected_notifications).toBe(1);
    const refused = flow.exchanges.find((e) => e.kind === "push_rejected");
    expect(refused?.http?.response?.body).toBe(
      JSON.stringify({ error: "invalid_request", error_description: "id_token rejected: at_hash does not match the access token" }, null, 2),
    );
    expect(refused?.checks.at(-1)).toEqual({ label: "Access token hash (at_hash)", ok: false, detail: "at_hash does not match the access token" });
    expect(flow.timeline.find((t) => t.kind === "push_rejected")).toMatchObject({ title: "Push refused (HTTP 400)", tone: "danger" });
  });

  it("refuses a push whose ID token carries a foreign signature", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const { flow, status } = await refusedPush(
      tamperTokens(async (body) => {
        const header = decodeProtectedHeader(body.id_token!);
        const forged = await new SignJWT(decodeJwt(body.id_token!)).setProtectedHeader({ alg: "RS256", kid: header.kid, typ: "JWT" }).sign(privateKey);
        return { ...body, id_token: forged };
      }),
    );
    expect(status).toBe(400);
    expect(flow.status).toBe("pending");
    const refused = flow.exchanges.find((e) => e.kind === "push_rejected");
    expect(refused?.checks).toEqual([{ label: "Signature", ok: false, detail: "the signature does not verify with the provider's key" }]);
    expect(flow.timeline.find((t) => t.kind === "push_rejected")?.detail).toBe("id_token rejected: the signature does not verify with the provider's key");
  });

  it("refuses a push whose refresh token does not match rt_hash", async () => {
    const { flow, status } = await refusedPush(tamperTokens((body) => ({ ...body, refresh_token: "a-refresh-token-that-was-swapped" })));
    expect(status).toBe(400);
    expect(flow.status).toBe("pending");
    expect(flow.exchanges.find((e) => e.kind === "push_rejected")?.checks.at(-1)).toEqual({
      label: "Refresh token hash (rt_hash)",
      ok: false,
      detail: "urn:openid:params:jwt:claim:rt_hash does not match the refresh token",
    });
  });

  it("ends in suspected fraud when the caller says they are not on a call (push error access_denied)", async () => {
    interceptor.tamper = null;
    const started = await startFlow(stack, { login_hint: "carol@example.com", delivery_mode: "push", scopes: [] });
    const device = await deviceLogin(stack.provider.url, "carol@example.com");
    expect((await device.deny(await requestWithCode(device, started.binding_message), "suspected_fraud")).status).toBe(200);
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("suspected_fraud");
    expect(flow.error).toMatchObject({ code: "access_denied" });
    expect(flow.exchanges.find((e) => e.kind === "push_error")?.summary).toBe("204 accepted: access_denied");
  });

  it("ends in expired when nobody answers: the provider pushes expired_token", async () => {
    interceptor.tamper = null;
    const started = await startFlow(stack, { login_hint: "carol@example.com", delivery_mode: "push", scopes: [], requested_expiry: 2 });
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("expired");
    expect(flow.error).toMatchObject({ code: "expired_token" });
    expect(flow.exchanges.find((e) => e.kind === "push_error")?.summary).toBe("204 accepted: expired_token");
  });
});
