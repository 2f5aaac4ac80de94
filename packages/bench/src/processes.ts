// Child processes of the benchmark: every server runs in a process of its own (so its resident memory
// is its own and it gets a core to itself), started with the same Node.js and the same TypeScript
// loader, and stopped when the benchmark ends, whatever happens.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { benchEnv, childEnv } from "./env";

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface ServerProcess {
  pid: number;
  stop(): Promise<void>;
}

/** Starts `file` (TypeScript) in a new Node.js process with `env`, and waits until `readyUrl` answers. */
export async function startServer(label: string, file: string, env: Record<string, string>, readyUrl: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    env: childEnv(env),
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => running.delete(child));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode} during start-up:\n${stderr}`);
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${label} did not answer ${readyUrl} within 60 s:\n${stderr}`);
    }
    await sleep(100);
  }

  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A free TCP port on loopback (BENCH_PORT_BASE pins the range instead). */
export async function freePort(): Promise<number> {
  const base = benchEnv().BENCH_PORT_BASE;
  if (base !== undefined) return base + nextPinned++;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
let nextPinned = 0;

/** Resident set size of a process in MiB (Linux /proc, else ps). */
export async function residentMiB(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
    if (kb) return kb / 1024;
  } catch {
    // not Linux
  }
  const { execFileSync } = await import("node:child_process");
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)]).toString().trim()) / 1024;
}
