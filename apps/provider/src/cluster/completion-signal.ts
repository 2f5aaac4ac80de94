// Long-poll wake-ups across provider instances: an ended request is published on one Redis channel,
// and every instance wakes the token requests it holds for it. A token request held on instance A is
// answered the moment instance B records the decision.
//
// Redis pub/sub delivers to connected subscribers only. A message is missed only while this instance's
// subscriber is disconnected, so on every reconnection all held requests re-read their state; a slow
// re-read (recheckMs) remains as a last resort for an instance that died between deciding and publishing.
import type { Logger } from "../log";
import { type CompletionSignal, createCompletionSignal } from "../delivery/completion-signal";
import type { RedisClients } from "./redis";

/** With Redis, the periodic re-read is only a safety net. */
const REDIS_RECHECK_MS = 10_000;

export async function createRedisCompletionSignal(
  redis: Pick<RedisClients, "publisher" | "subscriber">,
  channel: string,
  log: Logger,
): Promise<CompletionSignal> {
  const local = createCompletionSignal(REDIS_RECHECK_MS);
  const { subscriber } = redis;

  subscriber.on("message", (from: string, requestId: string) => {
    if (from === channel) local.publish(requestId);
  });
  // "ready" fires again after every reconnection (ioredis resubscribes on its own).
  subscriber.on("ready", () => local.wakeAll());
  await subscriber.subscribe(channel);

  return {
    recheckMs: local.recheckMs,
    publish(requestId) {
      // This instance's held requests wake at once; the others when the message reaches them.
      local.publish(requestId);
      redis.publisher.publish(channel, requestId).catch((error: unknown) => {
        log.warn("could not publish a long-poll wake-up; other instances re-read within seconds", { error: (error as Error).message });
      });
    },
    subscribe: (requestId) => local.subscribe(requestId),
    wakeAll: () => local.wakeAll(),
    close: () => local.close(),
  };
}
