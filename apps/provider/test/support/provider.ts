// Starts the real provider for a test file: a fresh database (a SQLite file, or a PostgreSQL schema of
// its own when DATABASE_URL points at a server), port 0 on loopback, demo data seeded.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dropPostgresqlSchema, parseDatabaseUrl } from "@ciba/db";
import type { Clock } from "../../src/clock";
import { type Env, readEnv } from "../../src/env";
import { type RunningProvider, type StartOptions, startProvider } from "../../src/start";
import { testPostgresUrl } from "./env";

export interface TestProvider extends RunningProvider {
  issuer: string;
  /** Restarts the provider on the same database and port (as after a crash or a deploy). */
  restart(): Promise<TestProvider>;
}

export interface TestProviderOptions {
  env?: Record<string, string>;
  clock?: Clock;
  notifier?: StartOptions["notifier"];
  resolve?: StartOptions["resolve"];
}

/** A database URL of its own for one test provider, and how to throw it away. */
export function freshDatabase(): { url: string; dispose(): Promise<void> } {
  if (testPostgresUrl) {
    const url = new URL(testPostgresUrl);
    url.searchParams.set("schema", `test_${randomBytes(6).toString("hex")}`);
    return { url: url.toString(), dispose: () => dropPostgresqlSchema(parseDatabaseUrl(url.toString())) };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "ciba-provider-"));
  return { url: `file:${path.join(dir, "test.sqlite")}`, dispose: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
}

export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  const database = freshDatabase();
  const launch = async (port: number): Promise<TestProvider> => {
    const env: Env = readEnv({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: database.url,
      CONSOLE_URL: "http://127.0.0.1:1",
      ...options.env,
    });
    const running = await startProvider({ env, clock: options.clock, notifier: options.notifier, resolve: options.resolve });
    let disposed = false;
    return {
      ...running,
      issuer: running.config.issuer,
      async restart() {
        await running.close();
        disposed = true;
        // Let pooled keep-alive client sockets see that the old server closed them before reusing the port.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return launch(running.port);
      },
      async close() {
        await running.close();
        if (!disposed) await database.dispose();
      },
    };
  };
  return launch(0);
}
