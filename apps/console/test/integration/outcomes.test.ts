// Every way a verification can end other than success, each in its own final state, and the faults an
// operator must be able to read: an unknown caller, a refused transaction, the provider going away.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelFlow, consoleUrl, finalFlow, getFlow, OPERATOR_COOKIE, type Stack, startFlow, startStack, waitUntil } from "../support/console";
import { deviceLogin, requestWithCode } from "../support/device";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe("final states in poll mode", () => {
  it("denied: the caller declines", async () => {
    const started = await startFlow(stack, { login_hint: "bob@example.com", delivery_mode: "poll" });
    const device = await deviceLogin(stack.provider.url, "bob@example.com");
    await device.deny(await requestWithCode(device, started.binding_message));
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("denied");
    expect(flow.status_detail).toBe("the caller declined on their device");
    expect(flow.error).toMatchObject({ code: "access_denied", status: 400, description: "the end-user denied the authorization request" });
  });

  it("suspected fraud: the caller says they are not on a call", async () => {
    const started = await startFlow(stack, { login_hint: "bob@example.com", delivery_mode: "poll" });
    const device = await deviceLogin(stack.provider.url, "bob@example.com");
    await device.deny(await requestWithCode(device, started.binding_message), "suspected_fraud");
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("suspected_fraud");
    expect(flow.error?.description).toBe("the end-user reported that they are not on a call: suspected fraud");
    expect(flow.timeline.find((t) => t.kind === "decision")?.title).toBe("Caller says they are not on a call");
  });

  it("expired: nobody answers within requested_expiry", async () => {
    const started = await startFlow(stack, { login_hint: "carol@example.com", delivery_mode: "poll", requested_expiry: 2 });
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("expired");
    expect(flow.error).toMatchObject({ code: "expired_token", description: "the auth_req_id has expired; make a new authentication request" });
  });

  it("cancelled: the operator cancels a pending request and the provider takes it off the device", async () => {
    const started = await startFlow(stack, { login_hint: "carol@example.com", delivery_mode: "poll" });
    const device = await deviceLogin(stack.provider.url, "carol@example.com");
    await requestWithCode(device, started.binding_message);
    const response = await cancelFlow(stack, started.id);
    expect(response.status).toBe(200);
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("cancelled");
    expect(flow.cancellable).toBe(false);
    const cancel = flow.exchanges.find((e) => e.kind === "cancel");
    expect(cancel?.http?.response?.status).toBe(200);
    expect(cancel?.http?.request.headers.authorization).toBe("Basic base64(demo-poll:••••••)");
    await waitUntil(async () => !(await device.pending()).some((r) => r.binding_message === started.binding_message), "the request to leave the device");
  });
});

describe("errors the operator reads", () => {
  it("an unknown caller shows the provider's unknown_user_id in plain language", async () => {
    const flow = await startFlow(stack, { login_hint: "nobody@example.com", delivery_mode: "poll" });
    expect(flow.status).toBe("failed");
    expect(flow.error).toEqual({
      code: "unknown_user_id",
      status: 400,
      description: "no user matches the hint",
      title: "No customer matches that identifier",
      advice: "Check the spelling with the caller, or try their phone number (+44…) or customer number instead.",
    });
    const row = flow.exchanges.find((e) => e.kind === "backchannel_authentication");
    expect(row?.summary).toBe("400 unknown_user_id");
    expect(row?.spec?.href).toBe("https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.13");
  });

  it("a transaction is sent as payment_initiation authorization_details and shown on the device", async () => {
    const started = await startFlow(stack, {
      login_hint: "alice@example.com",
      delivery_mode: "poll",
      transaction: { amount: "125", currency: "GBP", creditor: "Northwind Utilities", reference: "INV-2291" },
    });
    const device = await deviceLogin(stack.provider.url, "alice@example.com");
    const pending = (await device.pending()).find((r) => r.binding_message === started.binding_message);
    expect(pending?.authorization_details).toEqual([
      {
        type: "payment_initiation",
        instructedAmount: { currency: "GBP", amount: "125.00" },
        creditorName: "Northwind Utilities",
        remittanceInformationUnstructured: "INV-2291",
      },
    ]);
    expect((await cancelFlow(stack, started.id)).status).toBe(200);
  });

  it("rejects a malformed start request with 400 and the field at fault", async () => {
    const response = await fetch(consoleUrl(stack, "/api/flows"), {
      method: "POST",
      headers: { "content-type": "application/json", cookie: OPERATOR_COOKIE },
      body: JSON.stringify({ login_hint: "alice@example.com", delivery_mode: "fax" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_request",
      error_description: 'delivery_mode: Invalid option: expected one of "poll"|"ping"|"push"',
    });
  });

  it("shows the provider down, fails a start clearly, and recovers when it is back", async () => {
    await stack.provider.stop();
    await waitUntil(() => stack.console.link.status().state === "down", "the link to go down");
    expect(stack.console.link.status().error).toBe(`connect ECONNREFUSED 127.0.0.1:${stack.provider.port}`);

    const failed = await startFlow(stack, { login_hint: "alice@example.com", delivery_mode: "poll" });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatchObject({ code: "provider_unreachable", title: "The OpenID Provider cannot be reached" });

    await stack.provider.start();
    await waitUntil(() => stack.console.link.status().state === "up", "the link to come back");
    const started = await startFlow(stack, { login_hint: "alice@example.com", delivery_mode: "poll" });
    expect(started.status).toBe("pending");
    expect((await cancelFlow(stack, started.id)).status).toBe(200);
    expect((await getFlow(stack, started.id)).status).toBe("cancelled");
  });

  it("keeps the operator's history, newest first, and does not show it to another operator", async () => {
    const mine = await fetch(consoleUrl(stack, "/api/flows"), { headers: { cookie: OPERATOR_COOKIE } });
    const { flows } = (await mine.json()) as { flows: Array<{ status: string; created_at: string }> };
    expect(flows.length).toBeGreaterThanOrEqual(8);
    expect(flows.map((f) => f.created_at)).toEqual([...flows.map((f) => f.created_at)].sort().reverse());
    const other = await fetch(consoleUrl(stack, "/api/flows"), { headers: { cookie: "ciba_console_operator=another-operator-000001" } });
    expect(await other.json()).toEqual({ flows: [] });
  });
});
