// The SQL layer on PostgreSQL: a pg pool of its own (next to Prisma's), every connection with the
// provider's schema first on its search_path. Prisma maps DateTime to timestamp(3) without time zone
// holding UTC: Dates are sent as UTC text and such columns are read back as UTC, whatever the
// process's time zone (pg's default would read them as local time).
import pg from "pg";
import { type SqlDriver, type SqlRow, type SqlStep, type SqlValue, StepConditionFailed, type StepResult } from "./driver";

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

const parseUtc = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE ? parseUtc : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

/** `?` → `$1`, `$2`…: the statements never hold a literal question mark. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const encode = (params: SqlValue[]) => params.map((value) => (value instanceof Date ? value.toISOString() : value));

export interface PostgresDriverOptions {
  connectionString: string;
  schema: string;
  /** Pool size; the provider's Prisma client has a pool of its own. */
  max?: number;
}

export function createPostgresDriver({ connectionString, schema, max = 8 }: PostgresDriverOptions): SqlDriver {
  const pool = new pg.Pool({ connectionString, max, types, options: `-c search_path="${schema}"` });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const texts = new Map<string, string>();
  const text = (sql: string) => {
    let numberedSql = texts.get(sql);
    if (numberedSql === undefined) {
      numberedSql = numbered(sql);
      texts.set(sql, numberedSql);
    }
    return numberedSql;
  };
  const query = (client: pg.Pool | pg.PoolClient, sql: string, params: SqlValue[]) =>
    client.query<SqlRow>({ text: text(sql), values: encode(params) });

  async function runSteps(client: pg.PoolClient, steps: SqlStep[]): Promise<StepResult[]> {
    const results: StepResult[] = [];
    for (const s of steps) {
      if (s.when && !s.when(results)) {
        results.push({ changes: 0, row: undefined });
        continue;
      }
      const result = await query(client, s.sql, s.params);
      const changes = result.rowCount ?? result.rows.length;
      if (s.requireOneRow && changes !== 1) throw new StepConditionFailed();
      results.push({ changes, row: result.rows[0] });
    }
    return results;
  }

  return {
    dialect: "postgresql",
    async get<T>(sql: string, params: SqlValue[] = []) {
      return (await query(pool, sql, params)).rows[0] as T | undefined;
    },
    async all<T>(sql: string, params: SqlValue[] = []) {
      return (await query(pool, sql, params)).rows as T[];
    },
    async run(sql, params = []) {
      return (await query(pool, sql, params)).rowCount ?? 0;
    },
    async write(sql, params = []) {
      const result = await query(pool, sql, params);
      return { changes: result.rowCount ?? result.rows.length, row: result.rows[0] };
    },
    async atomically(steps) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const results = await runSteps(client, steps);
        await client.query("COMMIT");
        return results;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        if (error instanceof StepConditionFailed) return null;
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
