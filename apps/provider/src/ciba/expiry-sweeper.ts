// Ends requests whose auth_req_id has expired, so devices drop them, the console sees "expired" and
// push clients get their expired_token payload. Runs on an interval and once at start-up, so requests
// that expired while the provider was down are ended too. Now and then it also deletes what has lost
// all use: expired JWT identifiers of the replay cache and ended device sessions.
import type { ProviderDeps } from "../deps";
import { completeAuthRequest } from "./complete-auth-request";

export interface ExpirySweeper {
  /** Ends every request due at the current time; returns how many it ended. */
  sweep(): Promise<number>;
  stop(): void;
}

/** How often the replay cache and the device sessions are purged. */
const PURGE_EVERY_MS = 60_000;

export function startExpirySweeper(deps: ProviderDeps, everyMs = 1000): ExpirySweeper {
  let running: Promise<number> | null = null;
  let purgedAt = -Infinity;

  async function purgeEnded(now: Date) {
    if (now.getTime() - purgedAt < PURGE_EVERY_MS) return;
    purgedAt = now.getTime();
    const jtis = await deps.repos.usedJtis.purgeExpired(now);
    const sessions = await deps.repos.deviceSessions.purgeEnded(now);
    if (jtis || sessions) deps.log.debug("purged ended rows", { jtis, sessions });
  }

  async function sweepOnce(): Promise<number> {
    let ended = 0;
    await purgeEnded(deps.clock.now());
    for (;;) {
      const due = await deps.repos.authRequests.listDueToExpire(deps.clock.now());
      for (const request of due) {
        if (await completeAuthRequest(deps, request.id, { status: "expired" })) ended++;
      }
      if (due.length < 100) return ended;
    }
  }

  function sweep(): Promise<number> {
    // One sweep at a time; a caller during a sweep shares its result.
    running ??= sweepOnce().finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => {
    sweep().catch((error: unknown) => deps.log.error("expiry sweep failed", { error: error as Error }));
  }, everyMs);
  timer.unref();

  return { sweep, stop: () => clearInterval(timer) };
}
