// The only place tests read the process environment: which database server to test against.
/** A postgresql:// URL when the provider tests should run on PostgreSQL instead of SQLite files. */
export const testPostgresUrl: string | undefined = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")
  ? process.env.DATABASE_URL
  : undefined;

/** What a provider started as a child process inherits (PATH, HOME...); the test then sets its own variables. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
