// The servers the multi-instance tests need: several provider instances share one PostgreSQL and one
// Redis, as in production (SQLite is one process's embedded database). TEST_POSTGRES_URL (or a
// postgresql:// DATABASE_URL) and TEST_REDIS_URL name them; CI sets both, and then they must answer.
// Unset, the local defaults are used when they answer. Where a server is missing those tests are
// skipped, and the reason is printed.
import { randomBytes } from "node:crypto";
import { createDatabase, dropPostgresqlSchema, parseDatabaseUrl } from "@ciba/db";
import { Redis } from "ioredis";
import { testClusterPostgresUrl, testRedisUrl } from "./env";

const LOCAL_REDIS = "redis://127.0.0.1:6379";
const LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";

export interface ClusterServices {
  redisUrl: string;
  /** A PostgreSQL URL naming a schema of this test file's own (created by the first migration). */
  databaseUrl: string;
  /** Drops the schema. */
  dispose(): Promise<void>;
}

export type TestServices = ({ skip?: undefined } & ClusterServices) | { skip: string };

async function redisProblem(url: string): Promise<string | null> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  let cause: Error | undefined;
  client.on("error", (error: Error) => void (cause = error));
  try {
    await client.connect();
    return (await client.ping()) === "PONG" ? null : "Redis did not answer PING";
  } catch (error) {
    return (cause ?? (error as Error)).message;
  } finally {
    client.disconnect();
  }
}

async function postgresProblem(url: string): Promise<string | null> {
  const db = createDatabase(url);
  try {
    await db.prisma.$queryRawUnsafe("SELECT 1");
    return null;
  } catch (error) {
    return (error as Error).message.split("\n").filter(Boolean).at(-1) ?? "no answer";
  } finally {
    await db.close().catch(() => undefined);
  }
}

async function pick(configured: string | undefined, name: string, local: string, problem: (url: string) => Promise<string | null>) {
  if (configured) {
    const found = await problem(configured);
    if (found) throw new Error(`${name}=${configured} does not answer: ${found}`);
    return { url: configured };
  }
  const found = await problem(local);
  return found ? { skip: `no ${name} set and nothing answers at ${local} (${found})` } : { url: local };
}

/** Resolves PostgreSQL and Redis for one test file, or why its multi-instance tests are skipped. */
export async function clusterServices(): Promise<TestServices> {
  const [redis, postgres] = await Promise.all([
    pick(testRedisUrl, "TEST_REDIS_URL", LOCAL_REDIS, redisProblem),
    pick(testClusterPostgresUrl, "TEST_POSTGRES_URL", LOCAL_POSTGRES, postgresProblem),
  ]);
  if (!redis.url || !postgres.url) {
    const skip = `multi-instance tests skipped: ${[redis.skip, postgres.skip].filter(Boolean).join("; ")}`;
    console.warn(skip);
    return { skip };
  }
  const url = new URL(postgres.url);
  url.searchParams.set("schema", `test_${randomBytes(6).toString("hex")}`);
  const databaseUrl = url.toString();
  return { redisUrl: redis.url, databaseUrl, dispose: () => dropPostgresqlSchema(parseDatabaseUrl(databaseUrl)) };
}

/** A REDIS_PREFIX of its own, so test files sharing one Redis never hear each other's instances. */
export function redisPrefix(): string {
  return `test-${randomBytes(6).toString("hex")}`;
}
