// WAL checkpoints off the event loop. SQLite copies the write-ahead log back into the database file
// (a checkpoint) by itself, in whichever connection commits once the log passes 1,000 pages: there,
// that is the event loop, held for 5 to 30 ms every hundred or so requests, with fsyncs. The SQL
// layer's connection turns that off and this worker thread, on a connection of its own, runs a
// PASSIVE checkpoint (it never waits for or blocks readers and writers) every CHECKPOINT_INTERVAL_MS.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const CHECKPOINT_INTERVAL_MS = 200;

// Evaluated as CommonJS in the worker, so it runs the same under node, tsx and vitest (none of which
// would have to load TypeScript in a worker).
const source = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  close(): Promise<void>;
}

/**
 * Starts checkpointing `file` in a worker thread. `fallback` runs if the worker cannot work (it
 * should turn SQLite's own checkpoints back on, or the log would grow without bound).
 */
export function startCheckpointer(file: string, fallback: () => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(source, { eval: true, workerData: { file, driver, intervalMs: CHECKPOINT_INTERVAL_MS } });
  // It must not keep a process alive that has nothing else to do.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.once("error", fallback);
  return {
    async close() {
      // Held again while it finishes: an unreferenced worker would let a process with nothing else
      // to do end before its last checkpoint, with this promise never settled.
      worker.ref();
      worker.postMessage("close");
      await exited;
    },
  };
}
