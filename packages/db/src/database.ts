// The Prisma client factory: one API over an embedded SQLite file (the default) or PostgreSQL.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Prisma, PrismaClient } from "../generated/sqlite";
import type { SqlDriver } from "./sql/driver";
import { createPostgresDriver } from "./sql/postgresql";
import { createSqliteDriver } from "./sql/sqlite";

// The generated clients are CommonJS; both expose the same model API, typed from the SQLite one.
const require = createRequire(import.meta.url);
type GeneratedClient = { PrismaClient: typeof PrismaClient };

export type { PrismaClient };
/** The client or an interactive transaction: what repositories work on. */
export type DbClient = Prisma.TransactionClient;
export type Dialect = "sqlite" | "postgresql";

export interface DatabaseLocation {
  dialect: Dialect;
  /** The URL as configured. */
  url: string;
  /** SQLite: absolute file path. */
  file?: string;
  /** PostgreSQL: connection string without Prisma's `schema` parameter. */
  connectionString?: string;
  /** PostgreSQL: the schema holding the tables (`?schema=` in the URL), `public` by default. */
  schema?: string;
}

export interface Database extends DatabaseLocation {
  prisma: PrismaClient;
  /** The SQL layer the repositories' hot paths run on (a connection or pool of its own). */
  sql: SqlDriver;
  close(): Promise<void>;
}

/** The repository root, so a relative SQLite path means the same file whichever app opens it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The embedded default: a SQLite file under the repository's `.data` folder. */
export const defaultDatabaseUrl = `file:${path.join(repoRoot, ".data/ciba.sqlite")}`;

/**
 * Parses a database URL: `file:` (SQLite, relative paths resolved from the repository root) or
 * `postgres:` / `postgresql:`. Anything else is a configuration mistake.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith("file:")) {
    const raw = url.slice("file:".length).replace(/\?.*$/, "");
    if (!raw) throw new TypeError("DATABASE_URL file: URL needs a path");
    return { dialect: "sqlite", url, file: path.isAbsolute(raw) ? raw : path.resolve(repoRoot, raw) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema") ?? "public";
    parsed.searchParams.delete("schema");
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new TypeError(`invalid PostgreSQL schema name: ${schema}`);
    return { dialect: "postgresql", url, connectionString: parsed.toString(), schema };
  }
  throw new TypeError("DATABASE_URL must be a file: URL (SQLite) or a postgresql:// URL");
}

/** Opens the database. Run {@link migrate} first: the client does not create tables. */
export function createDatabase(url: string = defaultDatabaseUrl): Database {
  const location = parseDatabaseUrl(url);
  let prisma: PrismaClient;
  let sql: SqlDriver;
  if (location.dialect === "sqlite") {
    mkdirSync(path.dirname(location.file!), { recursive: true });
    const generated = require("../generated/sqlite/index.js") as GeneratedClient;
    // A generous busy timeout: several processes (provider, seed, tests) may share the file.
    prisma = new generated.PrismaClient({
      adapter: new PrismaBetterSQLite3({ url: `file:${location.file}`, timeout: 10_000 }),
    });
    sql = createSqliteDriver(location.file!);
  } else {
    const generated = require("../generated/postgresql/index.js") as GeneratedClient;
    // Prisma serves the cold paths only now: a small pool; the SQL layer has its own.
    prisma = new generated.PrismaClient({
      adapter: new PrismaPg({ connectionString: location.connectionString!, max: 4 }, { schema: location.schema }),
    });
    sql = createPostgresDriver({ connectionString: location.connectionString!, schema: location.schema ?? "public" });
  }
  return {
    ...location,
    prisma,
    sql,
    async close() {
      await Promise.all([prisma.$disconnect(), sql.close()]);
    },
  };
}
