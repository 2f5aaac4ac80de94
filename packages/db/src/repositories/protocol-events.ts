// The protocol event log: append-only, read back per client or per request.
//
// Appends are group-committed: every append made while the event loop works through one round of
// I/O is written in one transaction, and each append's promise resolves once that is committed, with
// the event's id. So an event is durable before its caller goes on, ids follow append order, and
// forty concurrent requests cost one commit, not forty. On SQLite the SQL layer groups every write
// that way (with the other writes of that round); on PostgreSQL the batching is here, one multi-row
// insert per batch.
import type { SqlDriver, SqlRow, SqlValue } from "../sql/driver";
import { asDate, asNumber, asString, asStringOrNull } from "../sql/columns";
import { parseJson, toJson } from "./json";

export interface StoredProtocolEvent {
  id: number;
  type: string;
  authRequestId: string | null;
  clientId: string | null;
  userId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export type NewProtocolEvent = Omit<StoredProtocolEvent, "id">;

/** Most events written by one statement (PostgreSQL allows 65,535 parameters; an event takes 7). */
const MAX_BATCH = 500;

function toEvent(row: SqlRow): StoredProtocolEvent {
  return {
    id: asNumber(row.id),
    type: asString(row.type),
    authRequestId: asStringOrNull(row.auth_request_id),
    clientId: asStringOrNull(row.client_id),
    userId: asStringOrNull(row.sub),
    data: parseJson<Record<string, unknown>>(asString(row.data)),
    createdAt: asDate(row.created_at),
  };
}

const columns = (event: NewProtocolEvent): SqlValue[] => [
  event.type,
  event.authRequestId,
  event.clientId,
  event.userId,
  toJson(event.data),
  event.createdAt,
];

/** SQLite: one statement per event (the SQL layer commits the round's writes together). */
async function insertOne(sql: SqlDriver, event: NewProtocolEvent): Promise<StoredProtocolEvent> {
  const { row } = await sql.write(
    `INSERT INTO "protocol_events" ("type", "auth_request_id", "client_id", "sub", "data", "created_at") VALUES (?, ?, ?, ?, ?, ?) RETURNING "id"`,
    columns(event),
  );
  return { id: asNumber(row!.id), ...event };
}

/** PostgreSQL: writes a batch and returns the ids, in the batch's order. */
async function insertBatch(sql: SqlDriver, events: NewProtocolEvent[]): Promise<number[]> {
  // Take the ids from the sequence first, so each row's id is known, then one insert.
  const taken = await sql.all<{ id: string | number }>(
    `SELECT nextval(pg_get_serial_sequence('protocol_events', 'id')) AS "id" FROM generate_series(1, ?)`,
    [events.length],
  );
  const ids = taken.map((row) => asNumber(row.id)).sort((a, b) => a - b);
  const values = events.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
  await sql.run(
    `INSERT INTO "protocol_events" ("id", "type", "auth_request_id", "client_id", "sub", "data", "created_at") VALUES ${values}`,
    events.flatMap((event, i) => [ids[i]!, ...columns(event)]),
  );
  return ids;
}

interface Pending {
  event: NewProtocolEvent;
  resolve(stored: StoredProtocolEvent): void;
  reject(error: unknown): void;
}

/** PostgreSQL: appends in batches, one batch in flight at a time, the next one gathering meanwhile. */
function groupCommitter(sql: SqlDriver) {
  let queue: Pending[] = [];
  let draining = false;

  async function write(batch: Pending[]) {
    const ids = await insertBatch(
      sql,
      batch.map((p) => p.event),
    );
    batch.forEach((p, i) => p.resolve({ id: ids[i]!, ...p.event }));
  }

  async function drain() {
    while (queue.length) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        await write(batch);
      } catch {
        // One bad event must not fail its neighbours: write them one by one, each failing alone.
        for (const pending of batch) await write([pending]).catch((error: unknown) => pending.reject(error));
      }
    }
    draining = false;
  }

  return (event: NewProtocolEvent) =>
    new Promise<StoredProtocolEvent>((resolve, reject) => {
      queue.push({ event, resolve, reject });
      if (draining) return;
      draining = true;
      // After this round of I/O callbacks, so that the appends they make share the batch.
      setImmediate(() => void drain());
    });
}

export function protocolEventsRepository(sql: SqlDriver) {
  const append = sql.dialect === "sqlite" ? (event: NewProtocolEvent) => insertOne(sql, event) : groupCommitter(sql);
  return {
    /** Appends the event; resolves once it is committed, with its id (the log's sequence number). */
    append,

    /** A client's events after `afterId`, oldest first. */
    async listForClient(clientId: string, afterId: number, limit = 500): Promise<StoredProtocolEvent[]> {
      const rows = await sql.all(`SELECT * FROM "protocol_events" WHERE "client_id" = ? AND "id" > ? ORDER BY "id" ASC LIMIT ?`, [
        clientId,
        afterId,
        limit,
      ]);
      return rows.map(toEvent);
    },

    async listForAuthRequest(authRequestId: string): Promise<StoredProtocolEvent[]> {
      const rows = await sql.all(`SELECT * FROM "protocol_events" WHERE "auth_request_id" = ? ORDER BY "id" ASC`, [authRequestId]);
      return rows.map(toEvent);
    },
  };
}

export type ProtocolEventsRepository = ReturnType<typeof protocolEventsRepository>;
