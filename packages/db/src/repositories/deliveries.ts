// Ping and push deliveries to client notification endpoints, and the log of their attempts. A
// delivery is sent by whichever provider instance holds its lease: claiming is a conditional update,
// so with several instances on one database each attempt is made by exactly one of them.
import type { Delivery as Row, DeliveryAttempt as AttemptRow } from "../../generated/sqlite";
import { asDate, asDateOrNull, asNumber, asNumberOrNull, asString, asStringOrNull } from "../sql/columns";
import type { SqlDriver, SqlRow, SqlStep } from "../sql/driver";

export type DeliveryKind = "ping" | "push_tokens" | "push_error";
export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface Delivery extends Omit<Row, "kind" | "status"> {
  kind: DeliveryKind;
  status: DeliveryStatus;
}

export type DeliveryAttempt = AttemptRow;

export interface DeliveryWithLog extends Delivery {
  log: DeliveryAttempt[];
}

export interface NewDelivery {
  id: string;
  authRequestId: string;
  kind: DeliveryKind;
  endpoint: string;
  payload: string;
  nextAttemptAt: Date;
  /** Set to create the delivery already claimed, for an immediate first attempt. */
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
}

export type NewDeliveryAttempt = Omit<DeliveryAttempt, "id">;

/** What an attempt changes on its delivery. */
export interface AttemptOutcome {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  completedAt: Date | null;
  /** Replaces the stored body, e.g. to drop pushed tokens once acknowledged. */
  payload?: string;
}

function toDelivery(row: SqlRow): Delivery {
  return {
    id: asString(row.id),
    authRequestId: asString(row.auth_request_id),
    kind: asString(row.kind) as DeliveryKind,
    endpoint: asString(row.endpoint),
    payload: asString(row.payload),
    status: asString(row.status) as DeliveryStatus,
    attempts: asNumber(row.attempts),
    nextAttemptAt: asDate(row.next_attempt_at),
    leaseOwner: asStringOrNull(row.lease_owner),
    leaseUntil: asDateOrNull(row.lease_until),
    createdAt: asDate(row.created_at),
    completedAt: asDateOrNull(row.completed_at),
  };
}

function toAttempt(row: SqlRow): DeliveryAttempt {
  return {
    id: asNumber(row.id),
    deliveryId: asString(row.delivery_id),
    attempt: asNumber(row.attempt),
    startedAt: asDate(row.started_at),
    latencyMs: asNumber(row.latency_ms),
    httpStatus: asNumberOrNull(row.http_status),
    error: asStringOrNull(row.error),
  };
}

/** The insert of a new delivery (also a step of grants.redeem, for pushed tokens). */
export function deliveryInsert(delivery: NewDelivery): SqlStep {
  return {
    sql: `INSERT INTO "deliveries" ("id", "auth_request_id", "kind", "endpoint", "payload", "status", "attempts", "next_attempt_at", "lease_owner", "lease_until", "created_at")
      VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)`,
    params: [
      delivery.id,
      delivery.authRequestId,
      delivery.kind,
      delivery.endpoint,
      delivery.payload,
      delivery.nextAttemptAt,
      delivery.leaseOwner,
      delivery.leaseUntil,
      delivery.createdAt,
    ],
  };
}

/** A lease that is free or has run out at the `now` given twice. */
const LEASE_FREE = `("lease_until" IS NULL OR "lease_until" <= ?)`;

export function deliveriesRepository(sql: SqlDriver) {
  return {
    async create(delivery: NewDelivery): Promise<Delivery> {
      const step = deliveryInsert(delivery);
      await sql.run(step.sql, step.params);
      return { ...delivery, status: "pending", attempts: 0, completedAt: null };
    },

    async findById(id: string): Promise<Delivery | null> {
      const row = await sql.get(`SELECT * FROM "deliveries" WHERE "id" = ?`, [id]);
      return row ? toDelivery(row) : null;
    },

    /** Pending deliveries due at `now` whose lease is free, oldest due first. */
    async listDue(now: Date, limit = 50): Promise<Delivery[]> {
      const rows = await sql.all(
        `SELECT * FROM "deliveries" WHERE "status" = 'pending' AND "next_attempt_at" <= ? AND ${LEASE_FREE} ORDER BY "next_attempt_at" ASC LIMIT ?`,
        [now, now, limit],
      );
      return rows.map(toDelivery);
    },

    /**
     * Takes the lease of a due, pending delivery until `leaseUntil`. True for the one caller that gets
     * it; false when another instance holds it, it is not due, or it is no longer pending.
     */
    async claim(id: string, owner: string, now: Date, leaseUntil: Date): Promise<boolean> {
      const changed = await sql.run(
        `UPDATE "deliveries" SET "lease_owner" = ?, "lease_until" = ? WHERE "id" = ? AND "status" = 'pending' AND "next_attempt_at" <= ? AND ${LEASE_FREE}`,
        [owner, leaseUntil, id, now, now],
      );
      return changed === 1;
    },

    /**
     * Logs an attempt and, if `owner` still holds the lease, applies its outcome and releases the
     * lease, in one transaction; with `revokeGrantOf`, the grant of that request is revoked too (pushed
     * tokens that were never acknowledged), still only if the lease was held. Returns false when the
     * lease had been lost (the attempt is logged all the same).
     */
    async recordAttempt(attempt: NewDeliveryAttempt, owner: string, outcome: AttemptOutcome, revokeGrantOf?: string): Promise<boolean> {
      const steps: SqlStep[] = [
        {
          sql: `INSERT INTO "delivery_attempts" ("delivery_id", "attempt", "started_at", "latency_ms", "http_status", "error") VALUES (?, ?, ?, ?, ?, ?)`,
          params: [attempt.deliveryId, attempt.attempt, attempt.startedAt, attempt.latencyMs, attempt.httpStatus, attempt.error],
        },
        {
          sql: `UPDATE "deliveries" SET "status" = ?, "attempts" = ?, "next_attempt_at" = ?, "completed_at" = ?, "payload" = COALESCE(?, "payload"),
              "lease_owner" = NULL, "lease_until" = NULL
            WHERE "id" = ? AND "lease_owner" = ? AND "status" = 'pending'`,
          params: [outcome.status, outcome.attempts, outcome.nextAttemptAt, outcome.completedAt, outcome.payload ?? null, attempt.deliveryId, owner],
        },
      ];
      if (revokeGrantOf) {
        steps.push({
          sql: `UPDATE "grants" SET "revoked_at" = ? WHERE "auth_request_id" = ? AND "revoked_at" IS NULL`,
          params: [outcome.completedAt ?? outcome.nextAttemptAt, revokeGrantOf],
          when: (results) => results[1]!.changes === 1,
        });
      }
      const results = await sql.atomically(steps);
      return results![1]!.changes === 1;
    },

    /** Releases every lease `owner` holds, so other instances can pick its deliveries up at once. */
    async releaseLeases(owner: string): Promise<number> {
      return sql.run(`UPDATE "deliveries" SET "lease_owner" = NULL, "lease_until" = NULL WHERE "lease_owner" = ? AND "status" = 'pending'`, [owner]);
    },

    /** A request's deliveries with their attempts, oldest first. */
    async listForAuthRequest(authRequestId: string): Promise<DeliveryWithLog[]> {
      const [deliveries, attempts] = await Promise.all([
        sql.all(`SELECT * FROM "deliveries" WHERE "auth_request_id" = ? ORDER BY "created_at" ASC`, [authRequestId]),
        sql.all(
          `SELECT a.* FROM "delivery_attempts" a JOIN "deliveries" d ON d."id" = a."delivery_id" WHERE d."auth_request_id" = ? ORDER BY a."attempt" ASC, a."id" ASC`,
          [authRequestId],
        ),
      ]);
      const log = attempts.map(toAttempt);
      return deliveries.map((row) => {
        const delivery = toDelivery(row);
        return { ...delivery, log: log.filter((attempt) => attempt.deliveryId === delivery.id) };
      });
    },

    /**
     * Ids of requests of ping and push clients that ended at or after `since` and are owed a delivery
     * that does not exist: the provider stopped between recording the outcome and creating it.
     */
    async listEndedWithoutDelivery(since: Date, limit = 100): Promise<string[]> {
      const rows = await sql.all<{ id: string }>(
        // Ping clients hear of decisions only, not of expiry.
        `SELECT r."id" FROM "auth_requests" r
          WHERE ((r."delivery_mode" = 'push' AND r."status" <> 'pending') OR (r."delivery_mode" = 'ping' AND r."status" IN ('approved', 'denied', 'cancelled')))
            AND r."decided_at" >= ?
            AND NOT EXISTS (SELECT 1 FROM "deliveries" d WHERE d."auth_request_id" = r."id")
          ORDER BY r."decided_at" ASC LIMIT ?`,
        [since, limit],
      );
      return rows.map((row) => row.id);
    },
  };
}

export type DeliveriesRepository = ReturnType<typeof deliveriesRepository>;
