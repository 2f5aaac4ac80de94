// Starts the REAL provider as its own process (`tsx apps/provider/src/server.ts`), on a fresh SQLite
// file, exactly as `npm start` runs it: the console talks to it over HTTP and socket.io only.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface ProviderProcess {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startProviderProcess(options: { port: number; consoleUrl: string; env?: Record<string, string> }): Promise<ProviderProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "ciba-console-test-"));
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["apps/provider/src/server.ts"], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
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
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the provider exited during start-up:\n${stderr}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the provider did not start within 45 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    port: options.port,
    async close() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
