// The provider as a real child process (`node --import tsx src/server.ts`), for what only a process can
// show: SIGKILL, SIGTERM, start-up failures, its own memory and its own log output.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { inheritedEnv } from "./env";

const providerRoot = path.resolve(import.meta.dirname, "../..");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildProvider {
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Resolves once the output matches `pattern` (rejects if the process exits first). */
  waitForOutput(pattern: RegExp): Promise<RegExpExecArray>;
  /** Sends `signal` and resolves once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<Exit>;
}

export interface ReadyChildProvider extends ChildProvider {
  /** Where this instance listens: http://127.0.0.1:<port>. */
  baseUrl: string;
  port: number;
}

/** Starts the process; it may fail to start (see {@link startChildProvider} for a ready one). */
export function spawnProvider(env: Record<string, string>): ChildProvider {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: providerRoot,
    env: {
      ...inheritedEnv(),
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: "0",
      CONSOLE_URL: "http://127.0.0.1:1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const listener of [...listeners]) listener();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  // A test run that ends (or a worker that is torn down) never leaves a provider behind.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => {
      process.off("exit", orphanGuard);
      resolve({ code, signal });
    }),
  );
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const listener of [...listeners]) listener();
  });

  return {
    process: child,
    output: () => text,
    exited,
    waitForOutput(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            listeners.delete(check);
            resolve(match);
          } else if (hasExited) {
            listeners.delete(check);
            reject(new Error(`the provider exited before printing ${pattern}:\n${text}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Longer than a start on a loaded machine, shorter than a test hook's timeout, so a stuck start is cleaned up. */
const READY_WITHIN_MS = 45_000;

/** Starts a provider process and resolves once it is ready (its info-level ready line), with the port it listens on. */
export async function startChildProvider(env: Record<string, string>): Promise<ReadyChildProvider> {
  const child = spawnProvider(env);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the provider was not ready within ${READY_WITHIN_MS / 1000} s:\n${child.output()}`)), READY_WITHIN_MS);
  });
  try {
    const [, port] = await Promise.race([child.waitForOutput(/CIBA OpenID Provider ready at \S+ .*port=(\d+)/), late]);
    return { ...child, port: Number(port), baseUrl: `http://127.0.0.1:${port}` };
  } catch (error) {
    await child.stop("SIGKILL");
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Resident memory of a process in MiB (Linux /proc; the figure `ps` calls RSS). */
export function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib[1]) / 1024;
}
