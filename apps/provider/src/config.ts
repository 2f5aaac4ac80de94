// Everything the provider needs to know about itself, derived once from the environment.
import { hashToken } from "@ciba/db";
import type { DeliveryMode, SigningAlg } from "@ciba/protocol";
import type { Env } from "./env";

export type Profile = "demo" | "production";

export interface ProviderConfig {
  /** demo/test: http to loopback allowed, automated approval on, open registration. production: none of these. */
  profile: Profile;
  issuer: string;
  databaseUrl: string;
  consoleUrl: string;
  /** Browser origins allowed by CORS (device simulator, console). */
  corsOrigins: Array<string | RegExp>;
  seedDemoData: boolean;
  automatedApproval: boolean;
  ciba: {
    deliveryModes: DeliveryMode[];
    pollIntervalSeconds: number;
    defaultExpirySeconds: number;
    maxExpirySeconds: number;
    /** Cap on `Prefer: wait=N` at the token endpoint (long polling extension); 0 = off. */
    longPollMaxWaitSeconds: number;
  };
  /** Ping and push delivery to client notification endpoints. */
  delivery: {
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    connectTimeoutMs: number;
    responseTimeoutMs: number;
    pollIntervalMs: number;
    /** Bytes of a notification response read at most; the body is ignored anyway (CIBA Core §10.2). */
    maxResponseBytes: number;
  };
  tokens: {
    accessTokenSeconds: number;
    idTokenSeconds: number;
    refreshTokenSeconds: number;
    /** How long an expired ID token is still accepted as id_token_hint (CIBA Core §14). */
    idTokenHintGraceSeconds: number;
  };
  device: {
    sessionSeconds: number;
    /** Wrong PINs in a row before the PIN is locked, and for how long. */
    pinAttempts: number;
    pinLockSeconds: number;
  };
  signingAlgs: SigningAlg[];
  /** Dynamic client registration (RFC 7591/7592). */
  registration: {
    enabled: boolean;
    /** SHA-256 of the initial access token registration requires, or null when it is open. */
    initialAccessTokenHash: string | null;
  };
  /** Several instances on one Redis (REDIS_URL), or null: everything stays in this process. */
  redis: { url: string; prefix: string } | null;
  /**
   * Requests allowed per window; 0 = no limit. `userCodeFailures` wrong user_codes for one user lock
   * that user's user_code for `userCodeLockSeconds` (from the first failure).
   */
  rateLimits: { perIp: number; perClient: number; windowSeconds: number; userCodeFailures: number; userCodeLockSeconds: number };
  /** Express's `trust proxy` setting, for the client address behind a load balancer. */
  trustProxy: boolean | number | string;
}

export function endpointsOf(issuer: string) {
  const at = (path: string) => `${issuer.replace(/\/$/, "")}${path}`;
  return {
    discovery: at("/.well-known/openid-configuration"),
    jwks: at("/jwks"),
    backchannelAuthentication: at("/backchannel-authentication"),
    token: at("/token"),
    userinfo: at("/userinfo"),
    registration: at("/register"),
    /** This platform's extension: a client withdraws its own pending request. */
    backchannelCancel: at("/backchannel-authentication/cancel"),
  };
}

export type Endpoints = ReturnType<typeof endpointsOf>;

const loopbackOrigin = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** The host name of the default issuer: the bound address when it is a specific one, else localhost. */
function issuerHost(host: string | undefined): string {
  if (!host || host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

/** Builds the configuration; `port` is the one actually bound, for the default issuer. */
export function configFromEnv(env: Env, port: number): ProviderConfig {
  const production = env.NODE_ENV === "production";
  const deviceUrl = new URL(env.DEVICE_URL).origin;
  const consoleOrigin = new URL(env.CONSOLE_URL).origin;
  if (env.CIBA_DEFAULT_EXPIRY > env.CIBA_MAX_EXPIRY) {
    throw new TypeError("CIBA_DEFAULT_EXPIRY must not exceed CIBA_MAX_EXPIRY");
  }
  return {
    profile: production ? "production" : "demo",
    issuer: (env.ISSUER ?? `http://${issuerHost(env.HOST)}:${port}`).replace(/\/$/, ""),
    databaseUrl: env.DATABASE_URL,
    consoleUrl: env.CONSOLE_URL,
    corsOrigins: [
      ...(env.CORS_ORIGINS ? env.CORS_ORIGINS.split(",").map((o) => o.trim()).filter(Boolean) : [consoleOrigin, deviceUrl]),
      // The demo runs on one machine: any loopback origin (localhost or 127.0.0.1, any port) may call.
      ...(production ? [] : [loopbackOrigin]),
    ],
    seedDemoData: env.SEED_DEMO_DATA,
    automatedApproval: env.CIBA_AUTOMATED_APPROVAL ?? !production,
    ciba: {
      deliveryModes: ["poll", "ping", "push"],
      pollIntervalSeconds: env.CIBA_POLL_INTERVAL,
      defaultExpirySeconds: env.CIBA_DEFAULT_EXPIRY,
      maxExpirySeconds: env.CIBA_MAX_EXPIRY,
      longPollMaxWaitSeconds: env.CIBA_LONG_POLL_MAX_WAIT,
    },
    delivery: {
      maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
      retryBaseMs: env.DELIVERY_RETRY_BASE_MS,
      retryMaxMs: Math.max(env.DELIVERY_RETRY_MAX_MS, env.DELIVERY_RETRY_BASE_MS),
      connectTimeoutMs: env.DELIVERY_CONNECT_TIMEOUT_MS,
      responseTimeoutMs: env.DELIVERY_RESPONSE_TIMEOUT_MS,
      pollIntervalMs: env.DELIVERY_POLL_INTERVAL_MS,
      maxResponseBytes: 64 * 1024,
    },
    tokens: {
      accessTokenSeconds: 600,
      idTokenSeconds: 600,
      refreshTokenSeconds: 30 * 24 * 3600,
      idTokenHintGraceSeconds: 24 * 3600,
    },
    device: { sessionSeconds: 12 * 3600, pinAttempts: 5, pinLockSeconds: 300 },
    signingAlgs: ["RS256", "PS256", "ES256"],
    registration: {
      // Open in the demo profile; production registers only with an initial access token.
      enabled: !production || env.REGISTRATION_INITIAL_ACCESS_TOKEN !== undefined,
      initialAccessTokenHash: env.REGISTRATION_INITIAL_ACCESS_TOKEN ? hashToken(env.REGISTRATION_INITIAL_ACCESS_TOKEN) : null,
    },
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } : null,
    rateLimits: {
      // Production: 20 requests/s from one address and 100/s from one client, sustained over a minute.
      // Demo: far above what one machine can send, so demos, tests and benchmarks never meet them.
      perIp: env.RATE_LIMIT_IP_MAX ?? (production ? 1200 : 600_000),
      perClient: env.RATE_LIMIT_CLIENT_MAX ?? (production ? 6000 : 600_000),
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      // A user code is a word or two: guessable by trying, so tries are counted per user, as PINs are.
      userCodeFailures: 5,
      userCodeLockSeconds: 300,
    },
    trustProxy: env.TRUST_PROXY,
  };
}
