// Ping and push deliveries to client notification endpoints, and the log of their attempts. A
// delivery is sent by whichever provider instance holds its lease: claiming is a conditional update,
// so with several instances on one database each attempt is made by exactly one of them.
import type { DbClient } from "../database";

export type DeliveryKind = "ping" | "push_tokens" | "push_error";
export type DeliveryStatus = "pending" | "delivered" | "failed";

type Row = Awaited<ReturnType<DbClient["delivery"]["findUniqueOrThrow"]>>;
type AttemptRow = Awaited<ReturnType<DbClient["deliveryAttempt"]["findUniqueOrThrow"]>>;

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

function toDelivery(row: Row): Delivery {
  return { ...row, kind: row.kind as DeliveryKind, status: row.status as DeliveryStatus };
}

/** A lease that is free or has run out at `now`. */
function leaseFree(now: Date) {
  return { OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] };
}

export function deliveriesRepository(prisma: DbClient) {
  return {
    async create(delivery: NewDelivery): Promise<Delivery> {
      return toDelivery(await prisma.delivery.create({ data: delivery }));
    },

    async findById(id: string): Promise<Delivery | null> {
      const row = await prisma.delivery.findUnique({ where: { id } });
      return row && toDelivery(row);
    },

    /** Pending deliveries due at `now` whose lease is free, oldest due first. */
    async listDue(now: Date, limit = 50): Promise<Delivery[]> {
      const rows = await prisma.delivery.findMany({
        where: { status: "pending", nextAttemptAt: { lte: now }, ...leaseFree(now) },
        orderBy: { nextAttemptAt: "asc" },
        take: limit,
      });
      return rows.map(toDelivery);
    },

    /**
     * Takes the lease of a due, pending delivery until `leaseUntil`. True for the one caller that gets
     * it; false when another instance holds it, it is not due, or it is no longer pending.
     */
    async claim(id: string, owner: string, now: Date, leaseUntil: Date): Promise<boolean> {
      const { count } = await prisma.delivery.updateMany({
        where: { id, status: "pending", nextAttemptAt: { lte: now }, ...leaseFree(now) },
        data: { leaseOwner: owner, leaseUntil },
      });
      return count === 1;
    },

    /**
     * Logs an attempt and, if `owner` still holds the lease, applies its outcome and releases the
     * lease. Returns false when the lease had been lost (the attempt is logged all the same).
     */
    async recordAttempt(attempt: NewDeliveryAttempt, owner: string, outcome: AttemptOutcome): Promise<boolean> {
      await prisma.deliveryAttempt.create({ data: attempt });
      const { count } = await prisma.delivery.updateMany({
        where: { id: attempt.deliveryId, leaseOwner: owner, status: "pending" },
        data: { ...outcome, leaseOwner: null, leaseUntil: null },
      });
      return count === 1;
    },

    /** Releases every lease `owner` holds, so other instances can pick its deliveries up at once. */
    async releaseLeases(owner: string): Promise<number> {
      const { count } = await prisma.delivery.updateMany({
        where: { leaseOwner: owner, status: "pending" },
        data: { leaseOwner: null, leaseUntil: null },
      });
      return count;
    },

    /** A request's deliveries with their attempts, oldest first. */
    async listForAuthRequest(authRequestId: string): Promise<DeliveryWithLog[]> {
      const rows = await prisma.delivery.findMany({
        where: { authRequestId },
        include: { log: { orderBy: { attempt: "asc" } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((row) => ({ ...toDelivery(row), log: row.log }));
    },

    /**
     * Ids of requests of ping and push clients that ended at or after `since` and are owed a delivery
     * that does not exist: the provider stopped between recording the outcome and creating it.
     */
    async listEndedWithoutDelivery(since: Date, limit = 100): Promise<string[]> {
      const rows = await prisma.authRequest.findMany({
        where: {
          // Ping clients hear of decisions only, not of expiry.
          OR: [{ deliveryMode: "push", status: { not: "pending" } }, { deliveryMode: "ping", status: { in: ["approved", "denied", "cancelled"] } }],
          decidedAt: { gte: since },
          deliveries: { none: {} },
        },
        select: { id: true },
        orderBy: { decidedAt: "asc" },
        take: limit,
      });
      return rows.map((row) => row.id);
    },
  };
}

export type DeliveriesRepository = ReturnType<typeof deliveriesRepository>;
