// The provider's environment, read and validated once. Nothing else reads process.env.
import { defaultDatabaseUrl } from "@ciba/db";
import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PROVIDER_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on; all interfaces when unset. */
  HOST: z.string().min(1).optional(),
  /** The issuer identifier; http://localhost:<port> when unset. */
  ISSUER: z.url().optional(),
  DATABASE_URL: z.string().min(1).default(defaultDatabaseUrl),
  CONSOLE_URL: z.url().default("http://localhost:3001"),
  DEVICE_URL: z.url().default("http://localhost:3002"),
  /** Comma-separated browser origins allowed by CORS; the console and device URLs when unset. */
  CORS_ORIGINS: z.string().optional(),
  CIBA_POLL_INTERVAL: z.coerce.number().int().min(1).max(60).default(5),
  CIBA_DEFAULT_EXPIRY: z.coerce.number().int().min(1).default(300),
  CIBA_MAX_EXPIRY: z.coerce.number().int().min(1).default(600),
  /** The conformance suite's automated approval endpoint; on unless NODE_ENV=production. */
  CIBA_AUTOMATED_APPROVAL: booleanFlag.optional(),
  SEED_DEMO_DATA: booleanFlag.default(true),
  /** Longest a token request with `Prefer: wait=N` is held (long polling extension); 0 turns it off. */
  CIBA_LONG_POLL_MAX_WAIT: z.coerce.number().int().min(0).max(120).default(30),
  /** Ping/push delivery: attempts in all, and exponential backoff between them (base doubles, capped). */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  DELIVERY_RETRY_BASE_MS: z.coerce.number().int().min(10).default(2000),
  DELIVERY_RETRY_MAX_MS: z.coerce.number().int().min(10).default(60_000),
  DELIVERY_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  DELIVERY_RESPONSE_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(10_000),
  /** How often each instance looks for due retries and deliveries left behind by a stopped instance. */
  DELIVERY_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /**
   * The key-encryption key for client_secret_jwt secrets: 32 random bytes, base64url
   * (`openssl rand 32 | basenc --base64url`). Unset: generated under .data/ in the demo profile;
   * client_secret_jwt is not offered in production.
   */
  CLIENT_SECRET_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}=?$/, "must be 32 bytes, base64url-encoded (43 characters)")
    .transform((value) => Buffer.from(value, "base64url"))
    .optional(),
  /**
   * RFC 7591 §3: the initial access token a registration request must carry. When set it is required in
   * every profile; unset, registration is open in the demo profile and closed in production.
   */
  REGISTRATION_INITIAL_ACCESS_TOKEN: z.string().min(32, "must be at least 32 characters of random text").optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /**
   * Redis (`redis://` or `rediss://`) shared by several provider instances: socket.io events, long-poll
   * wake-ups and rate limits go through it. Unset: all of that stays in this process (the embedded default).
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, "must be a redis:// or rediss:// URL")
    .optional(),
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1 to 64 letters, digits, '.', '_' or '-'")
    .default("ciba"),
  /**
   * Requests per window from one client address (`RATE_LIMIT_IP_MAX`) and from one authenticated client
   * (`RATE_LIMIT_CLIENT_MAX`); 0 turns a limit off. Defaults: 1200 and 6000 per minute in production,
   * 600000 in the demo profile (never reached by a demo, a test or a benchmark on one machine).
   */
  RATE_LIMIT_IP_MAX: z.coerce.number().int().min(0).optional(),
  RATE_LIMIT_CLIENT_MAX: z.coerce.number().int().min(0).optional(),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Express's `trust proxy`: which hops' X-Forwarded-For to believe for the client address (per-IP rate
   * limits). `false` (default), `true`, a hop count, or comma-separated addresses/subnets/`loopback`.
   */
  TRUST_PROXY: z
    .string()
    .min(1)
    .transform((v): boolean | number | string => (v === "true" ? true : v === "false" ? false : /^\d+$/.test(v) ? Number(v) : v))
    .default(false),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; a bad value stops the provider at start-up with a readable message. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new TypeError(`invalid provider environment:\n${problems}`);
  }
  return result.data;
}
