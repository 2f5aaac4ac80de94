// The databases the data-layer tests run on: a fresh SQLite file, and a fresh PostgreSQL schema when
// DATABASE_URL points at a server.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { createDatabase, type Database, dropPostgresqlSchema } from "../src/index";
import { postgresServerUrl as serverUrl } from "./env";
const dir = mkdtempSync(path.join(tmpdir(), "ciba-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export const databaseTargets: Array<[string, () => string]> = [
  ["sqlite", () => `file:${path.join(dir, `${randomBytes(4).toString("hex")}.sqlite`)}`],
];
if (serverUrl) {
  const server = serverUrl;
  databaseTargets.push([
    "postgresql",
    () => {
      const url = new URL(server);
      url.searchParams.set("schema", `dbtest_${randomBytes(4).toString("hex")}`);
      return url.toString();
    },
  ]);
}

/** Runs `work` on a new database at `url`, closed (and a PostgreSQL schema dropped) afterwards. */
export async function withDatabase(url: string, work: (db: Database) => Promise<void>): Promise<void> {
  const db = createDatabase(url);
  try {
    await work(db);
  } finally {
    await db.close();
    if (db.dialect === "postgresql") await dropPostgresqlSchema(db);
  }
}
