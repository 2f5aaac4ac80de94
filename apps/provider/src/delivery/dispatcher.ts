// Sends deliveries and records every attempt. An instance only sends a delivery whose lease it holds:
// a new delivery is created already leased by the instance that made the decision (so the first
// attempt starts at once), and retries and deliveries left behind by a stopped instance are claimed
// by a conditional update, by a timer at the retry time or by the periodic sweep. Leases are
// released after every attempt, so a crash between attempts loses nothing; a crash during one holds
// the delivery only until its lease runs out.
//
// Scheduling uses real time, not the injected protocol clock: retries and leases are about timers
// and about other processes, which a test clock does not move.
import { hostname } from "node:os";
import { type AuthRequest, type Delivery, randomToken } from "@ciba/db";
import type { ProviderDeps } from "../deps";
import type { Resolver } from "./endpoint-safety";
import { openNotification, type PendingPost, type PostOptions, type PostResult } from "./http-post";
import { retiredPayload } from "./plan";
import { backoffMs, errorOf, statusAfter, verdictOf } from "./retry-policy";

export interface Dispatcher {
  /** This instance's lease owner name. */
  readonly owner: string;
  /** When a lease taken now runs out: longer than any attempt can take. */
  leaseUntil(now: Date): Date;
  /** Checks an endpoint and starts connecting to it, for a first attempt about to be made. */
  open(endpoint: string): PendingPost;
  /** Attempts a delivery whose lease this instance holds, in the background (on `opened` if given). */
  attemptLeased(delivery: Delivery, request?: AuthRequest, opened?: PendingPost): void;
  /** Claims every due delivery whose lease is free and attempts it; returns how many it claimed. */
  sweep(): Promise<number>;
  /** Lets in-flight attempts finish (briefly), cancels timers and releases this instance's leases. */
  close(): Promise<void>;
}

/** How long close() lets in-flight attempts run before abandoning them to the next instance. */
const CLOSE_GRACE_MS = 1000;

export function createDispatcher(deps: ProviderDeps, resolve: Resolver): Dispatcher {
  const settings = deps.config.delivery;
  const owner = `${hostname()}:${process.pid}:${randomToken(6)}`;
  const leaseMs = settings.connectTimeoutMs + settings.responseTimeoutMs + 5000;
  const inFlight = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  const shutdown = new AbortController();
  let sweeping: Promise<number> | null = null;

  const leaseUntil = (now: Date) => new Date(now.getTime() + leaseMs);
  const postOptions: PostOptions = {
    profile: deps.config.profile,
    resolve,
    connectTimeoutMs: settings.connectTimeoutMs,
    responseTimeoutMs: settings.responseTimeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    signal: shutdown.signal,
  };

  function track(work: Promise<void>) {
    const tracked = work.catch((error: unknown) => deps.log.error("delivery attempt failed", { error: error as Error }));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  }

  async function attempt(delivery: Delivery, known?: AuthRequest, opened?: PendingPost): Promise<void> {
    const request = known ?? (await deps.repos.authRequests.findById(delivery.authRequestId));
    if (!request) return opened?.cancel();
    const number = delivery.attempts + 1;
    const startedAt = new Date();
    let result: PostResult;
    if (request.clientNotificationToken) {
      const post = opened ?? openNotification(delivery.endpoint, postOptions);
      result = await post.send(request.clientNotificationToken, delivery.payload);
    } else {
      opened?.cancel();
      result = { httpStatus: null, error: "the request has no client_notification_token", failure: "refused", latencyMs: 0 };
    }

    const verdict = verdictOf(result, number, settings.maxAttempts);
    const error = errorOf(result);
    const finishedAt = new Date();
    const nextAttemptAt = verdict === "retrying" ? new Date(finishedAt.getTime() + backoffMs(number, settings)) : finishedAt;
    const applied = await deps.repos.deliveries.recordAttempt(
      {
        deliveryId: delivery.id,
        attempt: number,
        startedAt,
        latencyMs: Math.round(result.latencyMs),
        httpStatus: result.httpStatus,
        error,
      },
      owner,
      {
        status: statusAfter(verdict),
        attempts: number,
        nextAttemptAt,
        completedAt: verdict === "retrying" ? null : finishedAt,
        payload: verdict === "retrying" ? undefined : retiredPayload(delivery.kind, delivery.payload),
      },
      // Pushed tokens that never reached the client are revoked: nobody acknowledged holding them.
      verdict === "failed" && delivery.kind === "push_tokens" ? request.id : undefined,
    );
    if (!applied) {
      // The lease ran out during the attempt and another instance took the delivery over: it decides.
      deps.log.warn(`delivery ${delivery.kind} attempt ${number} outlived its lease; its outcome is logged only`, {
        delivery: delivery.id,
      });
    }

    deps.log.info(`delivery ${delivery.kind} attempt ${number}: ${result.httpStatus ?? error} -> ${verdict}`, {
      delivery: delivery.id,
      client: request.clientId,
      ms: result.latencyMs,
    });
    await deps.events.record("delivery.attempted", request, {
      delivery_id: delivery.id,
      kind: delivery.kind,
      attempt: number,
      http_status: result.httpStatus,
      error,
      latency_ms: result.latencyMs,
      outcome: verdict,
    });
    if (applied && verdict === "retrying") scheduleRetry(delivery.id, nextAttemptAt);
  }

  /** Claims the delivery if it is still due and free, then attempts it. */
  async function claimAndAttempt(id: string): Promise<boolean> {
    const now = new Date();
    if (!(await deps.repos.deliveries.claim(id, owner, now, leaseUntil(now)))) return false;
    const delivery = await deps.repos.deliveries.findById(id);
    if (delivery) track(attempt(delivery));
    return true;
  }

  function scheduleRetry(id: string, at: Date) {
    if (shutdown.signal.aborted) return;
    const timer = setTimeout(
      () => {
        retryTimers.delete(timer);
        track(claimAndAttempt(id).then(() => undefined));
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    timer.unref();
    retryTimers.add(timer);
  }

  async function sweepOnce(): Promise<number> {
    let claimed = 0;
    for (const due of await deps.repos.deliveries.listDue(new Date())) {
      if (shutdown.signal.aborted) break;
      if (await claimAndAttempt(due.id)) claimed++;
    }
    return claimed;
  }

  return {
    owner,
    leaseUntil,
    open(endpoint) {
      return openNotification(endpoint, postOptions);
    },
    attemptLeased(delivery, request, opened) {
      track(attempt(delivery, request, opened));
    },
    sweep() {
      sweeping ??= sweepOnce().finally(() => (sweeping = null));
      return sweeping;
    },
    async close() {
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      await sweeping?.catch(() => undefined);
      const grace = new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      // Cut what is still running: each records an interrupted attempt and leaves a retry behind.
      shutdown.abort();
      await Promise.allSettled([...inFlight]);
      await deps.repos.deliveries.releaseLeases(owner);
    },
  };
}
