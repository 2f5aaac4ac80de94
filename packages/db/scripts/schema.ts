// Keeps the two dialects in step with the one source schema.
//
//   npm run db:schema                  writes prisma/postgresql/schema.prisma from prisma/schema.prisma
//   npm run db:schema -- <name>        also writes a new migration <timestamp>_<name> for both dialects
//
// Migrations are computed offline with `prisma migrate diff` between datamodels: for PostgreSQL from the
// previously generated schema (the committed file is the snapshot of the last migration), for SQLite
// from its migrations folder.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");
const sqliteSchema = path.join(root, "prisma/schema.prisma");
const sqliteMigrations = path.join(root, "prisma/migrations");
const pgDir = path.join(root, "prisma/postgresql");
const pgSchema = path.join(pgDir, "schema.prisma");
const pgMigrations = path.join(pgDir, "migrations");

function toPostgresql(source: string): string {
  const header = [
    "// GENERATED from prisma/schema.prisma by `npm run db:schema`. Do not edit: edit the source and regenerate.",
    "",
  ].join("\n");
  return (
    header +
    source
      .replace('provider = "sqlite"', 'provider = "postgresql"')
      .replace('output     = "../packages/db/generated/sqlite"', 'output     = "../../packages/db/generated/postgresql"')
      .replace(/url\s+= "file:[^"]*"/, 'url      = "postgresql://postgres@localhost:5432/ciba"')
  );
}

/** The inverse of toPostgresql, for diffing from the last migration's snapshot. */
function toSqlite(postgresql: string): string {
  return postgresql
    .replace('provider = "postgresql"', 'provider = "sqlite"')
    .replace(/url\s+= "postgresql:[^"]*"/, 'url      = "file:../.data/ciba.sqlite"');
}

function prisma(args: string[]): string {
  return execFileSync(path.join(root, "node_modules/.bin/prisma"), args, {
    cwd: path.join(root, "packages/db"),
    encoding: "utf8",
  });
}

function writeMigration(dir: string, name: string, sql: string) {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "migration.sql"), sql);
  console.log(`wrote ${path.relative(root, folder)}/migration.sql`);
}

const migrationName = process.argv[2];
const previousPg = existsSync(pgSchema) ? readFileSync(pgSchema, "utf8") : null;
const hasMigrations = (dir: string) => existsSync(dir) && readdirSync(dir).some((f) => !f.endsWith(".toml"));

mkdirSync(pgDir, { recursive: true });
writeFileSync(pgSchema, toPostgresql(readFileSync(sqliteSchema, "utf8")));
console.log("wrote prisma/postgresql/schema.prisma");

if (migrationName) {
  if (!/^[a-z0-9_]+$/.test(migrationName)) throw new TypeError("migration name must be snake_case");
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const name = `${stamp}_${migrationName}`;

  // `--from-migrations` needs a shadow database, which Prisma refuses with a driver adapter; the
  // PostgreSQL schema file is the snapshot of the last migration, so its datamodel (back in the SQLite
  // dialect) is the starting point for both.
  let sqliteFrom = ["--from-empty"];
  if (previousPg && hasMigrations(sqliteMigrations)) {
    const snapshot = path.join(root, ".data/previous-sqlite.prisma");
    mkdirSync(path.dirname(snapshot), { recursive: true });
    writeFileSync(snapshot, toSqlite(previousPg));
    sqliteFrom = ["--from-schema-datamodel", snapshot];
  }
  const sqliteSql = prisma(["migrate", "diff", ...sqliteFrom, "--to-schema-datamodel", sqliteSchema, "--script", "--config", "prisma.sqlite.config.ts"]);

  let pgFrom = ["--from-empty"];
  if (previousPg && hasMigrations(pgMigrations)) {
    const snapshot = path.join(root, ".data/previous-postgresql.prisma");
    mkdirSync(path.dirname(snapshot), { recursive: true });
    writeFileSync(snapshot, previousPg);
    pgFrom = ["--from-schema-datamodel", snapshot];
  }
  const pgSql = prisma(["migrate", "diff", ...pgFrom, "--to-schema-datamodel", pgSchema, "--script", "--config", "prisma.postgresql.config.ts"]);

  writeMigration(sqliteMigrations, name, sqliteSql);
  writeMigration(pgMigrations, name, pgSql);
  writeFileSync(path.join(sqliteMigrations, "migration_lock.toml"), 'provider = "sqlite"\n');
  writeFileSync(path.join(pgMigrations, "migration_lock.toml"), 'provider = "postgresql"\n');
}
