// Prisma CLI configuration for the PostgreSQL schema, generated from the SQLite one by scripts/schema.ts.
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "prisma/postgresql/schema.prisma"),
  migrations: { path: path.join(root, "prisma/postgresql/migrations") },
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" }),
});
