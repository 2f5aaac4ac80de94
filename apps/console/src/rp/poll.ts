// Poll mode's schedule (CIBA Core §7.3, §10.1, §11): wait `interval` seconds between token requests,
// measured from when each request was sent; add 5 seconds for this and every later request after a
// slow_down; keep trying through a provider outage; stop at tokens, at a final error, when aborted,
// or when the request has expired and the provider cannot be asked any more.
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_POLL_INTERVAL_SECONDS, SLOW_DOWN_INCREMENT_SECONDS } from "@ciba/protocol";
import { plainError } from "../shared/error-messages";
import type { TokenResult } from "./token-request";

export type PollOutcome = Extract<TokenResult, { kind: "tokens" | "failed" | "invalid_response" }> | { kind: "aborted" };

export interface PollSchedule {
  /** The acknowledgement's interval (absent → 5 s, CIBA Core §7.3). */
  interval: number | undefined;
  expiresAt: Date;
  /** Long polling: the first request goes out at once, since the provider holds it until there is news. */
  longPolling: boolean;
  signal: AbortSignal;
  /** Sends one token request. */
  request(): Promise<TokenResult>;
  /** Called after every answer, with the interval in force for the next request. */
  onResult?(result: TokenResult, interval: number): void;
  now?: () => number;
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Once the request is this far past its expiry and the provider still cannot answer, give up. */
const EXPIRY_GRACE_MS = 15_000;

/**
 * Added to every wait. The provider measures the interval between the moments it receives two polls,
 * the client between the moments it sends them; without a margin, a first request that took longer on
 * the wire than the next one makes an on-time poll look early, and earns a slow_down.
 */
export const POLL_MARGIN_MS = 250;

const defaultWait = (ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }).catch(() => undefined);

export async function pollForTokens(schedule: PollSchedule): Promise<PollOutcome> {
  const now = schedule.now ?? Date.now;
  const wait = schedule.wait ?? defaultWait;
  let interval = schedule.interval ?? DEFAULT_POLL_INTERVAL_SECONDS;
  let nextAt = schedule.longPolling ? now() : now() + interval * 1000 + POLL_MARGIN_MS;

  for (;;) {
    const delay = nextAt - now();
    if (delay > 0) await wait(delay, schedule.signal);
    if (schedule.signal.aborted) return { kind: "aborted" };

    const sentAt = now();
    const result = await schedule.request();
    if (schedule.signal.aborted) return { kind: "aborted" };
    if (result.kind === "slow_down") interval += SLOW_DOWN_INCREMENT_SECONDS;
    schedule.onResult?.(result, interval);

    switch (result.kind) {
      case "tokens":
      case "failed":
      case "invalid_response":
        return result;
      case "unreachable":
        if (now() > schedule.expiresAt.getTime() + EXPIRY_GRACE_MS) {
          return {
            kind: "failed",
            error: plainError("expired_token", "the request expired while the provider could not be reached", null),
          };
        }
        break;
      case "authorization_pending":
      case "slow_down":
        break;
    }
    nextAt = Math.max(sentAt + interval * 1000 + POLL_MARGIN_MS, now());
  }
}
