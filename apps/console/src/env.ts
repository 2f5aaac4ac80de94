// The console's environment, read and validated once. Nothing else reads process.env.
import { fileURLToPath } from "node:url";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

/** The repository's .data/ folder (gitignored), next to the provider's default SQLite file. */
const defaultDataDir = fileURLToPath(new URL("../../../.data/", import.meta.url));

const loopbackHost = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** Plain http to the provider: fine on one machine (the demo), otherwise only when asked for explicitly. */
export function httpAllowed(providerUrl: string, allowInsecureHttp: boolean): boolean {
  const url = new URL(providerUrl);
  return url.protocol === "https:" || allowInsecureHttp || loopbackHost.test(url.hostname);
}

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  CONSOLE_PORT: port.default(3001),
  /** Interface to listen on; all interfaces when unset. */
  HOST: z.string().min(1).optional(),
  /** The OpenID Provider's issuer URL; discovery starts from it. */
  PROVIDER_URL: z.url().default("http://localhost:3000"),
  /** The console's own public URL (where the provider sends pings and pushes); http://localhost:<port> when unset. */
  CONSOLE_URL: z.url().optional(),
  CONSOLE_POLL_CLIENT_ID: z.string().min(1).default("demo-poll"),
  CONSOLE_POLL_CLIENT_SECRET: z.string().min(1).default("demo-secret"),
  CONSOLE_PING_CLIENT_ID: z.string().min(1).default("demo-ping"),
  CONSOLE_PING_CLIENT_SECRET: z.string().min(1).default("demo-secret"),
  CONSOLE_PUSH_CLIENT_ID: z.string().min(1).default("demo-push"),
  CONSOLE_PUSH_CLIENT_SECRET: z.string().min(1).default("demo-secret"),
  /** Where the console keeps its own flow history (never the provider's database). */
  CONSOLE_DATA_DIR: z.string().min(1).default(defaultDataDir),
  /** The longest wait the console asks for with `Prefer: wait=N` in poll mode (long polling); 0 turns it off. */
  CONSOLE_LONG_POLL_SECONDS: z.coerce.number().int().min(0).max(60).default(20),
  /** Allow http:// to a provider that is not on this machine (e.g. a container network). */
  CONSOLE_ALLOW_INSECURE_HTTP: flag.default(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
}).refine((env) => httpAllowed(env.PROVIDER_URL, env.CONSOLE_ALLOW_INSECURE_HTTP), {
  path: ["PROVIDER_URL"],
  message: "an http:// provider URL must be on this machine (localhost); use https, or set CONSOLE_ALLOW_INSECURE_HTTP=true",
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; a bad value stops the console at start-up with a readable message. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new TypeError(`invalid console environment:\n${problems}`);
  }
  return result.data;
}
