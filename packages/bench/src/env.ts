// The benchmark's environment, read and validated once here (nothing else reads process.env).
import { z } from "zod";

const benchSchema = z.object({
  /** Where ours runs on PostgreSQL (in a schema of its own, dropped after); skipped when it does not answer. */
  BENCH_POSTGRES_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/test"),
  /** Parent folder of the run's database files; the system's temporary folder by default. */
  BENCH_DATA_DIR: z.string().optional(),
  /** First of the consecutive loopback ports the run uses; free ports are picked when unset. */
  BENCH_PORT_BASE: z.coerce.number().int().min(1024).max(65000).optional(),
});

const serverSchema = z.object({
  BENCH_PORT: z.coerce.number().int().min(1).max(65535),
  BENCH_PING_URL: z.url(),
});

function parse<T extends z.ZodType>(schema: T, what: string): z.infer<T> {
  const result = schema.safeParse(process.env);
  if (!result.success) throw new TypeError(`invalid ${what} environment: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return result.data;
}

export const benchEnv = () => parse(benchSchema, "benchmark");

/** What a benchmark server process (reference, ceiling) is told by the benchmark. */
export const serverEnv = () => parse(serverSchema, "benchmark server");

/** The environment the benchmark's child processes start from (PATH and the like), plus their own. */
export const childEnv = (own: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, ...own });
