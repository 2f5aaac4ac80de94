// Starts the REAL provider as its own process (`tsx apps/provider/src/server.ts`), on a fresh SQLite
// file, exactly as `npm start` runs it: the console talks to it over HTTP and socket.io only.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

// The child needs the parent's PATH (to find node) and HOME; nothing else is inherited.
// eslint-disable-next-line no-restricted-properties -- passing the process environment to a child, not reading configuration
const { PATH, HOME } = process.env;
const inherited = { PATH, HOME };

class PortInUse extends Error {}

export interface ProviderProcess {
  url: string;
  port: number;
  /** Stops the process (the provider is down); `start()` brings it back on the same port and database. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startProviderProcess(options: { port: number; consoleUrl: string; env?: Record<string, string> }): Promise<ProviderProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "ciba-console-test-"));
  const url = `http://127.0.0.1:${options.port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<unknown> = Promise.resolve();

  /**
   * Starts the provider on `options.port`. The port was free when chosen, but any outgoing connection
   * of this machine (the console retrying the provider, another test file) may be given it as its
   * local port for a moment: then the provider says the port is in use, and it is tried again.
   */
  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOnce();
      } catch (error) {
        if (!(error instanceof PortInUse) || attempt === 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };

  const startOnce = async () => {
    const current = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["apps/provider/src/server.ts"], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...inherited,
        NODE_ENV: "test",
        // Errors only (on stderr): the reason when it cannot start.
        LOG_LEVEL: "error",
        HOST: "127.0.0.1",
        PORT: String(options.port),
        DATABASE_URL: `file:${path.join(dir, "provider.sqlite")}`,
        CONSOLE_URL: options.consoleUrl,
        CIBA_POLL_INTERVAL: "1",
        DELIVERY_RETRY_BASE_MS: "50",
        DELIVERY_RETRY_MAX_MS: "200",
        DELIVERY_POLL_INTERVAL_MS: "50",
        ...options.env,
      },
    });
    child = current;
    let stderr = "";
    current.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    exited = new Promise((resolve) => current.once("exit", resolve));

    const deadline = Date.now() + 45_000;
    for (;;) {
      if (current.exitCode !== null) {
        if (stderr.includes("already in use")) throw new PortInUse(stderr);
        throw new Error(`the provider exited during start-up:\n${stderr}`);
      }
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
      if (Date.now() > deadline) {
        current.kill("SIGKILL");
        throw new Error(`the provider did not start within 45 s:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async () => {
    if (child && child.exitCode === null) child.kill("SIGTERM");
    await exited;
    child = null;
  };

  await start();
  return {
    url,
    port: options.port,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
