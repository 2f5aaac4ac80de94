// Poll mode against the real provider: the console initiates, polls (long polling when the provider
// holds polls), and on approval validates the ID token and reads UserInfo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finalFlow, type Stack, startFlow, startStack } from "../support/console";
import { deviceLogin, requestWithCode } from "../support/device";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe("poll mode", () => {
  it("verifies Alice by e-mail: initiation, long polls, approval, validated ID token and UserInfo", async () => {
    const started = await startFlow(stack, { login_hint: "alice@example.com", delivery_mode: "poll", scopes: ["profile", "email", "phone"] });
    expect(started.status).toBe("pending");
    expect(started.binding_message).toMatch(/^[2-9A-HJ-NP-Z]{4}$/);
    expect(started.hint_kind).toBe("email");

    const device = await deviceLogin(stack.provider.url, "alice@example.com");
    const id = await requestWithCode(device, started.binding_message);
    expect((await device.approve(id)).status).toBe(200);

    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("verified");
    expect(flow.identity).toMatchObject({
      sub: "3f8d2c1e-5a7b-4e2f-9c1d-a11ce0000001",
      name: "Alice Martin",
      email: "alice@example.com",
      phone_number: "+447700900123",
      acr: "urn:ciba:acr:possession+knowledge",
    });
    expect(flow.identity?.auth_time).toEqual(expect.any(Number));
    expect(flow.long_polling).toBe(true);
    const validation = flow.exchanges.find((e) => e.kind === "id_token_validation");
    expect(validation?.checks.map((c) => [c.label, c.ok])).toEqual([
      ["Signature", true],
      ["Issuer (iss)", true],
      ["Audience (aud)", true],
      ["Expiry (exp, iat)", true],
      ["Access token hash (at_hash)", true],
      ["Refresh token hash (rt_hash)", true],
      ["auth_req_id claim", true],
    ]);
    expect(flow.exchanges.map((e) => e.kind)).toEqual(expect.arrayContaining(["discovery", "backchannel_authentication", "device_notified", "decision", "token", "jwks", "id_token_validation", "userinfo"]));
  });
});
