// The only place tests read the process environment: which database server to test against.
/** A postgresql:// URL when the provider tests should run on PostgreSQL instead of SQLite files. */
export const testPostgresUrl: string | undefined = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")
  ? process.env.DATABASE_URL
  : undefined;

/** What a provider started as a child process inherits (PATH, HOME...); the test then sets its own variables. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}

/**
 * The servers the multi-instance tests need (see support/services.ts): TEST_REDIS_URL and
 * TEST_POSTGRES_URL when set (CI sets them, and then they must answer), else the local defaults.
 */
export const testRedisUrl: string | undefined = process.env.TEST_REDIS_URL || undefined;
export const testClusterPostgresUrl: string | undefined = testPostgresUrl ?? (process.env.TEST_POSTGRES_URL || undefined);

/** The fuzz test's seed: fixed, so CI runs are reproducible; FUZZ_SEED explores other cases. */
export const fuzzSeed: number = Number(process.env.FUZZ_SEED ?? 20_260_801);
