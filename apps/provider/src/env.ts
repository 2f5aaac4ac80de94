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
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
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
