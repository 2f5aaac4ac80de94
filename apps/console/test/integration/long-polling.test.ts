// Long polling is a provider extension, not advertised in discovery: the console asks for it
// (Prefer: wait=N) and keeps asking only while the provider shows it honours it (Preference-Applied).
// Against a provider with long polling off, it falls back to plain polling at the interval.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finalFlow, getFlow, type Stack, startFlow, startStack, waitUntil } from "../support/console";
import { deviceLogin, requestWithCode } from "../support/device";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ providerEnv: { CIBA_LONG_POLL_MAX_WAIT: "0" } });
});
afterAll(() => stack.close());

describe("poll mode without long polling at the provider", () => {
  it("tries Prefer: wait once, learns it is not honoured, and polls at the interval counting authorization_pending", async () => {
    const started = await startFlow(stack, { login_hint: "alice@example.com", delivery_mode: "poll", scopes: ["profile"] });
    await waitUntil(async () => (await getFlow(stack, started.id)).polls.authorization_pending >= 2, "two pending polls");
    expect(stack.console.link.status().long_polling).toBe(false);

    const device = await deviceLogin(stack.provider.url, "alice@example.com");
    await device.approve(await requestWithCode(device, started.binding_message));
    const flow = await finalFlow(stack, started.id);
    expect(flow.status).toBe("verified");
    expect(flow.long_polling).toBe(false);
    // The provider judges the interval itself: not one slow_down means every poll respected it.
    expect(flow.polls.slow_down).toBe(0);

    const polls = flow.exchanges.filter((e) => e.kind === "token");
    expect(polls[0]?.http?.request.headers.prefer).toBe("wait=20");
    expect(polls[0]?.summary).toBe("400 authorization_pending");
    expect(polls.slice(1).every((p) => p.http?.request.headers.prefer === undefined)).toBe(true);
    expect(polls.at(-1)?.summary).toBe("200 tokens issued");
  });
});
