// Backchannel authentication requests: creation, polling state, the one-time decision, expiry and
// redemption. State transitions are conditional updates, so concurrent callers (two devices, fifty
// token requests, several provider instances) cannot both win.
import type { AuthorizationDetail, DeliveryMode, RequestOutcome } from "@ciba/protocol";
import type { DbClient } from "../database";
import { parseJsonOrNull, toJsonOrNull } from "./json";

export type AuthRequestStatus = "pending" | RequestOutcome;

type Row = Awaited<ReturnType<DbClient["authRequest"]["findUniqueOrThrow"]>>;

export interface AuthRequest extends Omit<Row, "authorizationDetails" | "requestContext" | "amr" | "status" | "deliveryMode"> {
  status: AuthRequestStatus;
  deliveryMode: DeliveryMode;
  authorizationDetails: AuthorizationDetail[] | null;
  requestContext: Record<string, unknown> | null;
  amr: string[] | null;
}

export interface AuthRequestWithClient extends AuthRequest {
  clientName: string;
  /**
   * The client's notification endpoint as read with the request (set by the reads here, so ping and
   * push delivery need not read the client again); absent on requests built elsewhere.
   */
  clientNotificationEndpoint?: string | null;
}

export interface NewAuthRequest {
  id: string;
  authReqId: string;
  clientId: string;
  userId: string;
  scope: string;
  acrValues: string | null;
  bindingMessage: string | null;
  hintType: string;
  hint: string;
  authorizationDetails: AuthorizationDetail[] | null;
  requestContext: Record<string, unknown> | null;
  clientNotificationToken: string | null;
  deliveryMode: DeliveryMode;
  requestedExpiry: number | null;
  expiresAt: Date;
  interval: number;
  createdAt: Date;
}

export interface Decision {
  status: Exclude<RequestOutcome, "expired">;
  suspectedFraud: boolean;
  outcomeDescription: string | null;
  decidedAt: Date;
  authTime: Date | null;
  acr: string | null;
  amr: string[] | null;
}

function toAuthRequest(row: Row): AuthRequest {
  return {
    ...row,
    status: row.status as AuthRequestStatus,
    deliveryMode: row.deliveryMode as DeliveryMode,
    authorizationDetails: parseJsonOrNull<AuthorizationDetail[]>(row.authorizationDetails),
    requestContext: parseJsonOrNull<Record<string, unknown>>(row.requestContext),
    amr: parseJsonOrNull<string[]>(row.amr),
  };
}

function withClient(row: Row & { client: { name: string; notificationEndpoint: string | null } }): AuthRequestWithClient {
  return { ...toAuthRequest(row), clientName: row.client.name, clientNotificationEndpoint: row.client.notificationEndpoint };
}

const clientName = { client: { select: { name: true, notificationEndpoint: true } } } as const;

export function authRequestsRepository(prisma: DbClient) {
  return {
    async create(request: NewAuthRequest): Promise<AuthRequest> {
      const row = await prisma.authRequest.create({
        data: {
          ...request,
          authorizationDetails: toJsonOrNull(request.authorizationDetails),
          requestContext: toJsonOrNull(request.requestContext),
        },
      });
      return toAuthRequest(row);
    },

    async findByAuthReqId(authReqId: string): Promise<AuthRequest | null> {
      const row = await prisma.authRequest.findUnique({ where: { authReqId } });
      return row && toAuthRequest(row);
    },

    async findById(id: string): Promise<AuthRequestWithClient | null> {
      const row = await prisma.authRequest.findUnique({ where: { id }, include: clientName });
      return row && withClient(row);
    },

    /** The user's requests still awaiting a decision, oldest first. */
    async listPendingForUser(userId: string, now: Date): Promise<AuthRequestWithClient[]> {
      const rows = await prisma.authRequest.findMany({
        where: { userId, status: "pending", expiresAt: { gt: now } },
        include: clientName,
        orderBy: { createdAt: "asc" },
      });
      return rows.map(withClient);
    },

    /** The user's ended requests, newest first. */
    async listHistoryForUser(userId: string, limit: number): Promise<AuthRequestWithClient[]> {
      const rows = await prisma.authRequest.findMany({
        where: { userId, status: { not: "pending" } },
        include: clientName,
        orderBy: { createdAt: "desc" },
        take: limit,
      });
      return rows.map(withClient);
    },

    /** Records a poll at `polledAt` and the interval that applies from now on. */
    async recordPoll(id: string, polledAt: Date, interval: number): Promise<void> {
      await prisma.authRequest.update({ where: { id }, data: { lastPolledAt: polledAt, interval } });
    },

    /**
     * Records the decision if the request is still pending and unexpired at `decision.decidedAt`.
     * Returns the decided request, or null when it was no longer pending (another decision won).
     */
    async decide(id: string, decision: Decision): Promise<AuthRequestWithClient | null> {
      const { count } = await prisma.authRequest.updateMany({
        where: { id, status: "pending", expiresAt: { gt: decision.decidedAt } },
        data: { ...decision, amr: toJsonOrNull(decision.amr) },
      });
      if (count === 0) return null;
      const row = await prisma.authRequest.findUniqueOrThrow({ where: { id }, include: clientName });
      return withClient(row);
    },

    /** Pending requests whose expiry has passed at `now`. */
    async listDueToExpire(now: Date, limit = 100): Promise<AuthRequest[]> {
      const rows = await prisma.authRequest.findMany({
        where: { status: "pending", expiresAt: { lte: now } },
        orderBy: { expiresAt: "asc" },
        take: limit,
      });
      return rows.map(toAuthRequest);
    },

    /** Moves a pending, past-expiry request to `expired`; false when something else ended it first. */
    async markExpired(id: string, now: Date): Promise<boolean> {
      const { count } = await prisma.authRequest.updateMany({
        where: { id, status: "pending", expiresAt: { lte: now } },
        data: { status: "expired", decidedAt: now },
      });
      return count === 1;
    },

    /**
     * Redeems an approved request exactly once: true for the one caller that marks it consumed,
     * false for everyone else.
     */
    async consume(id: string, now: Date): Promise<boolean> {
      const { count } = await prisma.authRequest.updateMany({
        where: { id, status: "approved", consumedAt: null },
        data: { consumedAt: now },
      });
      return count === 1;
    },
  };
}

export type AuthRequestsRepository = ReturnType<typeof authRequestsRepository>;
