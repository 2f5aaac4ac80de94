// Rate limits: per client address on every endpoint, and per authenticated client wherever a client
// authenticates. Over a limit the answer is 429 too_many_requests with Retry-After. With Redis the
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

export function createRateLimits(config: ProviderConfig, redis: Redis | null): RateLimits {
  const { perIp, perClient, windowSeconds } = config.rateLimits;
  const prefix = config.redis ? `${config.redis.prefix}:rate-limit` : "rate-limit";
  const ipLimit = limiter(perIp, windowSeconds, `${prefix}:ip`, redis);
  const clientLimit = limiter(perClient, windowSeconds, `${prefix}:client`, redis);

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
  };
}
