// Prisma CLI configuration for the SQLite schema (the source of truth, prisma/schema.prisma).
// The WebAssembly schema engine ("js" engine with a driver adapter) lets the CLI run offline.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "prisma/schema.prisma"),
  migrations: { path: path.join(root, "prisma/migrations") },
  adapter: async () => {
    // The CLI only needs a scratch database for diffs; the provider migrates its own at start.
    mkdirSync(path.join(root, ".data"), { recursive: true });
    return new PrismaBetterSQLite3({ url: `file:${path.join(root, ".data/cli.sqlite")}` });
  },
});
