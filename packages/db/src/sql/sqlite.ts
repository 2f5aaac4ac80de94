// The SQL layer on SQLite: better-sqlite3 on a connection of its own next to Prisma's, in WAL mode
// (readers never wait for the writer), with statements prepared once and kept. Durability is the
// file's as before: WAL with synchronous=NORMAL, so a committed row survives the process being killed.
//
// Group commit: the single-statement writes (`run`, `write`) issued while the event loop works through one round of I/O
// are committed together, in one transaction, and each caller's promise resolves once it has
// committed, with its own row count or its own error. Under load that is one commit (one set of WAL
// page writes) for many requests instead of one each; a write is durable before its caller goes on,
// as before. Reads and atomic units run at once.
//
// Locking: better-sqlite3 is synchronous, and so is every statement and every atomic unit here (see
// SqlDriver.atomically), so this connection never holds the write lock across an await. Prisma's
// connection, or another process, may: its busy handler is off on this connection (a busy handler
// sleeps with the event loop blocked, while the holder may need the event loop to finish), and a
// statement that finds the database locked is retried on a timer instead, for up to BUSY_DEADLINE_MS.
import BetterSqlite3, { type Statement } from "better-sqlite3";
import { startCheckpointer } from "./sqlite-checkpointer";
import { type SqlDriver, type SqlRow, type SqlStep, type SqlValue, StepConditionFailed, type StepResult } from "./driver";

const BUSY_DEADLINE_MS = 10_000;

/**
 * Prisma's SQLite DateTime text (`2026-11-21T13:29:46.175+00:00`): fixed width and UTC, so text
 * comparison in SQL is time order, for rows from either layer. Booleans are 0/1.
 */
export function encodeSqliteValue(value: SqlValue): string | number | null {
  if (value instanceof Date) return `${value.toISOString().slice(0, 23)}+00:00`;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSqliteDriver(file: string): SqlDriver {
  // No busy handler (timeout 0); WAL mode is a property of the file, set by migrate().
  const db = new BetterSqlite3(file, { timeout: 0 });
  // Checkpoints run in a worker thread (see sqlite-checkpointer.ts), not in this connection's commits.
  db.pragma("wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(file, () => db.open && db.pragma("wal_autocheckpoint = 1000"));
  const statements = new Map<string, Statement>();

  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const encode = (params: SqlValue[]) => params.map(encodeSqliteValue);

  /** Runs `work` now; while the database is locked by another connection, again on a timer. */
  async function whenUnlocked<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + BUSY_DEADLINE_MS;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        return work();
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw error;
      }
      await sleep(wait);
    }
  }

  function step(s: SqlStep): StepResult {
    const statement = prepare(s.sql);
    if (statement.reader) {
      const rows = statement.all(...encode(s.params)) as SqlRow[];
      return { changes: rows.length, row: rows[0] };
    }
    return { changes: statement.run(...encode(s.params)).changes, row: undefined };
  }

  interface QueuedWrite {
    step: SqlStep;
    resolve(result: StepResult): void;
    reject(error: unknown): void;
  }
  let writes: QueuedWrite[] = [];
  let flushing: Promise<void> | null = null;


  /** One transaction for the group; a statement's own failure (a constraint) fails that write alone. */
  const commitGroup = db.transaction((group: QueuedWrite[]) =>
    group.map((write): StepResult | { error: unknown } => {
      try {
        return step(write.step);
      } catch (error) {
        // Some errors end the transaction itself: then the group is retried write by write.
        if (!db.inTransaction) throw error;
        return { error };
      }
    }),
  );

  async function flushWrites(): Promise<void> {
    while (writes.length) {
      const group = writes;
      writes = [];
      let outcomes: Array<StepResult | { error: unknown }>;
      try {
        outcomes = await whenUnlocked(() => commitGroup.immediate(group));
      } catch {
        // Nothing of the group was committed: each write on its own, in order, each with its own outcome.
        for (const write of group) {
          await whenUnlocked(() => step(write.step)).then(
            (result) => write.resolve(result),
            (error: unknown) => write.reject(error),
          );
        }
        continue;
      }
      group.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if ("error" in outcome) write.reject(outcome.error);
        else write.resolve(outcome);
      });
    }
    flushing = null;
  }

  function write(sql: string, params: SqlValue[] = []): Promise<StepResult> {
    return new Promise((resolve, reject) => {
      writes.push({ step: { sql, params }, resolve, reject });
      // After this round of I/O callbacks, so that the writes they make share the commit.
      flushing ??= new Promise((started) => setImmediate(started)).then(flushWrites);
    });
  }

  const unit = db.transaction((steps: SqlStep[]) => {
    const results: StepResult[] = [];
    for (const s of steps) {
      if (s.when && !s.when(results)) {
        results.push({ changes: 0, row: undefined });
        continue;
      }
      const result = step(s);
      if (s.requireOneRow && result.changes !== 1) throw new StepConditionFailed();
      results.push(result);
    }
    return results;
  });

  return {
    dialect: "sqlite",
    get: <T>(sql: string, params: SqlValue[] = []) => whenUnlocked(() => prepare(sql).get(...encode(params)) as T | undefined),
    all: <T>(sql: string, params: SqlValue[] = []) => whenUnlocked(() => prepare(sql).all(...encode(params)) as T[]),
    write,
    run: async (sql, params = []) => (await write(sql, params)).changes,
    async atomically(steps) {
      try {
        // BEGIN IMMEDIATE: the write lock is taken first, so no step can find it taken half-way.
        return await whenUnlocked(() => unit.immediate(steps));
      } catch (error) {
        if (error instanceof StepConditionFailed) return null;
        throw error;
      }
    },
    async close() {
      await flushing;
      db.close();
      await checkpointer.close();
    },
  };
}

