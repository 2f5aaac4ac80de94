// Poll mode's schedule (CIBA Core §7.3, §11) on a simulated clock: the interval between requests, the
// 5-second increase after slow_down, the 5-second default, long polling, outages and abort.
import { describe, expect, it } from "vitest";
import { POLL_MARGIN_MS, type PollSchedule, pollForTokens } from "../../src/rp/poll";

// Every wait is the interval plus a quarter-second margin against network jitter.
const margin = POLL_MARGIN_MS / 1000;
import type { TokenResult } from "../../src/rp/token-request";
import { plainError } from "../../src/shared/error-messages";

const pending: TokenResult = { kind: "authorization_pending", error: plainError("authorization_pending", null, 400) };
const slowDown: TokenResult = { kind: "slow_down", error: plainError("slow_down", null, 400) };
const unreachable: TokenResult = { kind: "unreachable", error: plainError("provider_unreachable", "ECONNREFUSED", null) };
const tokens: TokenResult = { kind: "tokens", tokens: { access_token: "a", token_type: "Bearer", expires_in: 600 } };
const denied: TokenResult = { kind: "failed", error: plainError("access_denied", null, 400) };

/** Runs the poller on a fake clock; returns the times (s) each request was sent and the outcome. */
async function simulate(answers: TokenResult[], options: Partial<PollSchedule> & { answerTakesMs?: number } = {}) {
  let clock = 0;
  const sent: number[] = [];
  const queue = [...answers];
  const outcome = await pollForTokens({
    interval: 2,
    expiresAt: new Date(3_600_000),
    longPolling: false,
    signal: new AbortController().signal,
    now: () => clock,
    wait: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    request() {
      sent.push(clock / 1000);
      clock += options.answerTakesMs ?? 0;
      const next = queue.shift();
      if (!next) throw new Error("no more answers");
      return Promise.resolve(next);
    },
    ...options,
  });
  return { outcome, sent };
}

describe("pollForTokens", () => {
  it("waits the interval before the first request and between requests", async () => {
    const { outcome, sent } = await simulate([pending, pending, tokens]);
    expect(outcome).toEqual(tokens);
    expect(margin).toBe(0.25);
    expect(sent).toEqual([2.25, 4.5, 6.75]);
  });

  it("uses 5 seconds when the acknowledgement has no interval", async () => {
    const { sent } = await simulate([pending, tokens], { interval: undefined });
    expect(sent).toEqual([5.25, 10.5]);
  });

  it("adds 5 seconds for this and every later request after slow_down", async () => {
    const { sent } = await simulate([pending, slowDown, pending, slowDown, tokens]);
    // 2 s, then 7 s after the first slow_down, 12 s after the second.
    expect(sent).toEqual([2.25, 4.5, 11.75, 19, 31.25]);
  });

  it("measures the interval from when a request was sent, so a long poll held past it is followed at once", async () => {
    const { sent } = await simulate([pending, pending, tokens], { longPolling: true, answerTakesMs: 20_000 });
    expect(sent).toEqual([0, 20, 40]);
  });

  it("stops at a final error", async () => {
    const { outcome, sent } = await simulate([pending, denied]);
    expect(outcome).toEqual(denied);
    expect(sent).toEqual([2.25, 4.5]);
  });

  it("keeps trying through an outage at the interval", async () => {
    const { outcome, sent } = await simulate([unreachable, unreachable, pending, tokens]);
    expect(outcome).toEqual(tokens);
    expect(sent).toEqual([2.25, 4.5, 6.75, 9]);
  });

  it("gives up as expired when the provider is still unreachable well after expiry", async () => {
    const { outcome } = await simulate(Array<TokenResult>(20).fill(unreachable), { expiresAt: new Date(10_000) });
    expect(outcome).toEqual({ kind: "failed", error: plainError("expired_token", "the request expired while the provider could not be reached", null) });
  });

  it("returns aborted when the flow ends while it waits", async () => {
    const controller = new AbortController();
    const outcome = await pollForTokens({
      interval: 1,
      expiresAt: new Date(Date.now() + 60_000),
      longPolling: false,
      signal: controller.signal,
      wait: () => {
        controller.abort();
        return Promise.resolve();
      },
      request: () => Promise.resolve(pending),
    });
    expect(outcome).toEqual({ kind: "aborted" });
  });
});
