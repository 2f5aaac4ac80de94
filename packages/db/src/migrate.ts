// Applies pending migrations from prisma/ at start-up, on SQLite and on PostgreSQL.
//
// Why not `prisma migrate deploy`: offline, Prisma 6's CLI can only deploy to SQLite (on PostgreSQL it
// fails with "Column type 'name' could not be deserialized"), and spawning the CLI costs seconds at every
// start. The SQL files are Prisma's own and the bookkeeping table is Prisma's `_prisma_migrations`, with
// the same checksums, so `prisma migrate status` agrees with what this applied.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { type DatabaseLocation, repoRoot } from "./database";

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
}

function migrationsFor(dialect: DatabaseLocation["dialect"]): Migration[] {
  const dir = path.join(repoRoot, dialect === "sqlite" ? "prisma/migrations" : "prisma/postgresql/migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function assertUnchanged(applied: Map<string, string>, migrations: Migration[]) {
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum && checksum !== m.checksum) {
      throw new TypeError(`migration ${m.name} was edited after it was applied; add a new migration instead`);
    }
  }
}

function migrateSqlite(file: string): MigrationResult {
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  try {
    // WAL lets readers and the writer work at once; it is a property of the file, so set it once here.
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const applied: string[] = [];
    // BEGIN IMMEDIATE takes the write lock first, so two processes starting together do not both migrate.
    const run = db.transaction(() => {
      const rows = db
        .prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all() as { migration_name: string; checksum: string }[];
      const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      const migrations = migrationsFor("sqlite");
      assertUnchanged(done, migrations);
      for (const m of migrations.filter((m) => !done.has(m.name))) {
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES (?, ?, ?, ?, 1)`,
        ).run(randomUUID(), m.checksum, Date.now(), m.name);
        applied.push(m.name);
      }
    });
    run.immediate();
    return { applied };
  } finally {
    db.close();
  }
}

async function migratePostgresql(connectionString: string, schema: string): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const lockKey = `ciba-migrations:${schema}`;
  try {
    // An advisory lock serialises several provider instances starting at once on one database.
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      id VARCHAR(36) PRIMARY KEY NOT NULL,
      checksum VARCHAR(64) NOT NULL,
      finished_at TIMESTAMPTZ,
      migration_name VARCHAR(255) NOT NULL,
      logs TEXT,
      rolled_back_at TIMESTAMPTZ,
      started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      applied_steps_count INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const migrations = migrationsFor("postgresql");
    assertUnchanged(done, migrations);
    const applied: string[] = [];
    for (const m of migrations.filter((m) => !done.has(m.name))) {
      // Prisma's generated SQL creates "public"; tables land in the first schema of the search path.
      const sql = m.sql.replace(/^CREATE SCHEMA IF NOT EXISTS "public";$/m, "");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      applied.push(m.name);
    }
    return { applied };
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]).catch(() => undefined);
    await client.end();
  }
}

/** Brings the database at `location` up to the newest migration; a no-op when it is current. */
export async function migrate(location: DatabaseLocation): Promise<MigrationResult> {
  return location.dialect === "sqlite"
    ? migrateSqlite(location.file!)
    : migratePostgresql(location.connectionString!, location.schema ?? "public");
}

/** Drops a PostgreSQL schema and everything in it: for tests that made one of their own. */
export async function dropPostgresqlSchema(location: DatabaseLocation): Promise<void> {
  if (location.dialect !== "postgresql" || !location.schema || location.schema === "public") {
    throw new TypeError("dropPostgresqlSchema only drops a non-public PostgreSQL schema");
  }
  const client = new pg.Client({ connectionString: location.connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${location.schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
