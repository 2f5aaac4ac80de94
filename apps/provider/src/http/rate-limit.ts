// Rate limits: per client address on every endpoint, per authenticated client wherever a client
// authenticates, and wrong user_codes per user. Over a limit the answer is 429 too_many_requests with Retry-After. With Redis the
// counters are shared by every instance; during a Redis outage each instance counts on its own
// (rate-limiter-flexible's insurance limiter) rather than refusing or waiting.
import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { ProviderConfig } from "../config";
import { OAuthError } from "../errors";

export interface RateLimits {
  /** Middleware: counts the request against its client address. */
  perIp: RequestHandler;
  /** Counts a request from `address` that Express never sees (a socket.io handshake); the seconds to wait, or null. */
  consumeAddress(address: string): Promise<number | null>;
  /** Counts a request of an authenticated client; throws too_many_requests over the limit. */
  consumeClient(clientId: string): Promise<void>;
  /** Wrong user_codes per user (CIBA Core §7.1), so a user code cannot be found by trying. */
  userCodes: UserCodeThrottle;
}

export interface UserCodeThrottle {
  /** Throws too_many_requests while the user's user_code is locked by earlier wrong codes. */
  assertNotLocked(userId: string): Promise<void>;
  failed(userId: string): Promise<void>;
  /** The right code clears the count, as a right PIN does. */
  succeeded(userId: string): Promise<void>;
}

/** Paths a load balancer or orchestrator probes; never limited. */
const UNLIMITED_PATHS = new Set(["/healthz"]);

function limiter(points: number, duration: number, keyPrefix: string, redis: Redis | null): RateLimiterAbstract | null {
  if (points === 0) return null;
  const memory = new RateLimiterMemory({ points, duration, keyPrefix });
  if (!redis) return memory;
  return new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix, insuranceLimiter: memory });
}

/** Consumes one point; null when allowed, else the seconds until the window resets. */
async function consume(limit: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limit.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

function tooManyRequests(who: string, seconds: number): OAuthError {
  return new OAuthError("too_many_requests", `too many requests from this ${who}; retry after ${seconds} seconds`, {
    headers: { "Retry-After": String(seconds) },
  });
}

function userCodeThrottle(limit: RateLimiterAbstract | null, failures: number): UserCodeThrottle {
  if (!limit) {
    const nothing = () => Promise.resolve();
    return { assertNotLocked: nothing, failed: nothing, succeeded: nothing };
  }
  return {
    async assertNotLocked(userId) {
      const state = await limit.get(userId);
      if (state && state.consumedPoints >= failures) {
        const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
        throw new OAuthError("too_many_requests", `too many wrong user codes for this user; retry after ${seconds} seconds`, {
          headers: { "Retry-After": String(seconds) },
        });
      }
    },
    async failed(userId) {
      await consume(limit, userId);
    },
    async succeeded(userId) {
      await limit.delete(userId);
    },
  };
}

export function createRateLimits(config: ProviderConfig, redis: Redis | null): RateLimits {
  const { perIp, perClient, windowSeconds, userCodeFailures, userCodeLockSeconds } = config.rateLimits;
  const prefix = config.redis ? `${config.redis.prefix}:rate-limit` : "rate-limit";
  const ipLimit = limiter(perIp, windowSeconds, `${prefix}:ip`, redis);
  const clientLimit = limiter(perClient, windowSeconds, `${prefix}:client`, redis);
  const userCodeLimit = limiter(userCodeFailures, userCodeLockSeconds, `${prefix}:user-code`, redis);

  return {
    perIp: async (req, _res, next) => {
      if (!ipLimit || UNLIMITED_PATHS.has(req.path)) return next();
      const wait = await consume(ipLimit, req.ip ?? req.socket.remoteAddress ?? "unknown");
      if (wait !== null) throw tooManyRequests("address", wait);
      next();
    },
    consumeAddress: async (address) => (ipLimit ? consume(ipLimit, address) : null),
    async consumeClient(clientId) {
      if (!clientLimit) return;
      const wait = await consume(clientLimit, clientId);
      if (wait !== null) throw tooManyRequests("client", wait);
    },
    userCodes: userCodeThrottle(userCodeLimit, userCodeFailures),
  };
}
