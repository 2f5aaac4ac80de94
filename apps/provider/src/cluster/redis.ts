// The Redis connections of a provider that shares its state with other instances (REDIS_URL). Start-up
// fails with a clear message when Redis cannot be reached; once running, a lost connection is logged
// and retried forever, and nothing waits on it that a request depends on (see each connection's role).
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../log";

export interface RedisClients {
  /**
   * Publishes socket.io events and long-poll wake-ups. During a blip its commands queue and go out on
   * reconnection (an event arrives late rather than never).
   */
  publisher: Redis;
  /** The socket.io adapter's subscriber. */
  adapterSubscriber: Redis;
  /** The provider's own channels: long-poll wake-ups and client changes (each listener filters its channel). */
  subscriber: Redis;
  /** Rate-limit counters. Fails fast during a blip, so a request never waits for Redis to come back. */
  limiter: Redis;
  /** Closes every connection (at most briefly waiting for queued commands). */
  close(): Promise<void>;
}

/** How long start-up waits for Redis before giving up. */
const STARTUP_TIMEOUT_MS = 5000;
/** How long close() lets queued commands drain. */
const CLOSE_TIMEOUT_MS = 1000;

/** The URL without its password, for messages and logs. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

/** Reconnects forever, backing off to at most two seconds: a provider outlives any Redis outage. */
const retryStrategy = (times: number) => Math.min(times * 100, 2000);

/**
 * socket.io's adapter publishes without awaiting the result. A command that ioredis rejects (the
 * connection closed under it, or at shutdown) would then be an unhandled rejection, which ends a Node
 * process. Every command of these clients therefore carries a handler; callers that await still see
 * the rejection.
 */
function markRejectionsHandled(client: Redis): void {
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<Redis["sendCommand"]>) => {
    const result = send(...args);
    if (result instanceof Promise) result.catch(() => undefined);
    return result;
  };
}

/** Logs the first error of an outage and the recovery, not every retry. */
function watch(client: Redis, role: string, log: Logger): void {
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log.warn(`redis connection lost (${role}); reconnecting`, { error: error.message });
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    log.info(`redis connection restored (${role})`);
  });
}

async function open(url: string, role: string, options: RedisOptions, log: Logger): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectionName: `ciba-provider:${role}`, retryStrategy, ...options });
  let lastError: Error | undefined;
  const remember = (error: Error) => void (lastError = error);
  client.on("error", remember);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STARTUP_TIMEOUT_MS / 1000} seconds`)), STARTUP_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.disconnect();
    const reason = (lastError ?? (error as Error)).message;
    throw new Error(`Redis at ${redactedRedisUrl(url)} (REDIS_URL) is not reachable: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
    client.off("error", remember);
  }
  markRejectionsHandled(client);
  watch(client, role, log);
  return client;
}

async function closeClient(client: Redis): Promise<void> {
  if (client.status === "ready") {
    const quit = client.quit().then(
      () => undefined,
      () => undefined,
    );
    await Promise.race([quit, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
  }
  client.disconnect();
}

/** Opens the provider's Redis connections; rejects with a readable message when Redis is unreachable. */
export async function connectRedis(url: string, log: Logger): Promise<RedisClients> {
  const opened: Redis[] = [];
  const connect = async (role: string, options: RedisOptions) => {
    const client = await open(url, role, options, log);
    opened.push(client);
    return client;
  };
  try {
    // Publishes and subscriptions wait out a blip (null: no limit on retries per command).
    const publisher = await connect("publisher", { maxRetriesPerRequest: null });
    const adapterSubscriber = await connect("socket.io", { maxRetriesPerRequest: null });
    const subscriber = await connect("subscriber", { maxRetriesPerRequest: null });
    // Rate limits must answer now or never: no offline queue, a short command timeout.
    const limiter = await connect("rate-limit", { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 });
    return {
      publisher,
      adapterSubscriber,
      subscriber,
      limiter,
      close: async () => void (await Promise.all(opened.map(closeClient))),
    };
  } catch (error) {
    for (const client of opened) client.disconnect();
    throw error;
  }
}
