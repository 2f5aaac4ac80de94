// Starts the REAL provider as a child process (`tsx apps/provider/src/server.ts`), the way `npm start`
// runs it, on a fresh SQLite file and a free port: the device talks to it exactly as in a demo.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { inheritedEnv } from "./env";

const providerDir = path.resolve(import.meta.dirname, "../../../provider");

/** The provider's server.ts reads its port from the environment and cannot report a port-0 choice. */
const PORT_RANGE = { first: 4370, last: 4399 } as const;

export interface ProviderProcess {
  url: string;
  port: number;
  /** Stops the process (SIGTERM, as on a deploy) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database, as after a restart. */
  start(): Promise<void>;
  /** Stops it and deletes its database. */
  close(): Promise<void>;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A free loopback port in this suite's range. */
export async function freePort(): Promise<number> {
  // Start at a random offset so test files running side by side rarely probe the same port first.
  const size = PORT_RANGE.last - PORT_RANGE.first + 1;
  const offset = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = PORT_RANGE.first + ((offset + i) % size);
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
}

/**
 * Waits for this child's own start-up banner ("Discovery http://…"), which server.ts prints once it
 * listens and is ready. Polling the port instead could be answered by another test file's provider that
 * won a race for the same port while this one failed to bind it.
 */
function waitForBanner(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the provider did not start:\n${output()}`)), 30_000);
    const onData = () => {
      if (!output().includes("Discovery")) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      resolve();
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      reject(new Error(`the provider exited (${code}):\n${output()}`));
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

export async function startProviderProcess(env: Record<string, string> = {}): Promise<ProviderProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "ciba-device-test-"));
  const databaseUrl = `file:${path.join(dir, "provider.sqlite")}`;
  let port = await freePort();
  let child: ChildProcess | null = null;

  const launch = async () => {
    let output = "";
    const next = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: providerDir,
      env: {
        ...inheritedEnv(),
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        CONSOLE_URL: "http://127.0.0.1:1",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Never outlive the test run, even when it ends without reaching its afterAll.
    const orphanGuard = () => next.kill("SIGKILL");
    process.once("exit", orphanGuard);
    next.once("exit", () => process.off("exit", orphanGuard));
    next.stdout?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    next.stderr?.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child = next;
    await waitForBanner(next, () => output);
  };

  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
  };

  // Another process may take the probed port before the provider binds it: probe again and retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      await stop();
      if (attempt === 4) throw error;
      port = await freePort();
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop,
    start: launch,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
