// The SQL layer under the repositories' hot paths: prepared statements over the tables Prisma's
// migrations create, without Prisma's query engine (about half a millisecond of compilation and
// interpretation per query, against microseconds for the statement itself). Prisma keeps the schema,
// the migrations, the generated types and the cold paths (registration writes, seeding).
//
// One interface, two drivers: better-sqlite3 on its own connection (sqlite.ts) and a pg pool
// (postgresql.ts). Statements are written once, with `?` placeholders and double-quoted identifiers;
// the PostgreSQL driver numbers the placeholders. Values are encoded as Prisma stores them, so both
// layers read each other's rows: see encodeSqliteValue and the PostgreSQL type parsers.
import type { Dialect } from "../database";

export type SqlValue = string | number | boolean | Date | null;
export type SqlRow = Record<string, unknown>;

/** One statement of an atomic unit (see SqlDriver.atomically). */
export interface SqlStep {
  sql: string;
  params: SqlValue[];
  /**
   * First writer wins: the unit is rolled back, and atomically() answers null, unless this step
   * changes exactly one row (a conditional UPDATE whose condition still held).
   */
  requireOneRow?: boolean;
  /** Runs the step only when this holds for the results of the steps before it. */
  when?: (results: StepResult[]) => boolean;
}

export interface StepResult {
  /** Rows changed (or returned, for a statement with RETURNING). */
  changes: number;
  /** The first row a RETURNING clause gave back. */
  row: SqlRow | undefined;
}

export interface SqlDriver {
  readonly dialect: Dialect;
  get<T = SqlRow>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  all<T = SqlRow>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs a writing statement and returns the number of rows it changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /** Runs a writing statement; with RETURNING, the first row it returned comes back too. */
  write(sql: string, params?: SqlValue[]): Promise<StepResult>;
  /**
   * Runs the steps as one transaction, with no other work in between: nothing but SQL happens inside,
   * so on SQLite the write lock is never held across an await (a transaction open while the event
   * loop runs other requests would make them wait on it, or join it). Null when a `requireOneRow`
   * step found its condition gone; the unit is then rolled back.
   */
  atomically(steps: SqlStep[]): Promise<StepResult[] | null>;
  close(): Promise<void>;
}

/** A second row with the same unique key, whichever layer wrote it (Prisma, SQLite, PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2002" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

/** A row naming a parent row that is gone, e.g. a request of a client deleted meanwhile. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2003" || code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503";
}

/** Thrown inside a transaction to roll it back when a first-writer-wins step lost. */
export class StepConditionFailed extends Error {
  constructor() {
    super("an atomic step's condition no longer held");
  }
}
