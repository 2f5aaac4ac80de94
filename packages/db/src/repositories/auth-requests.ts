// Backchannel authentication requests: creation, polling state, the one-time decision, expiry and
// redemption. State transitions are conditional updates, so concurrent callers (two devices, fifty
// token requests, several provider instances) cannot both win. Every method is on the hot path of
// some endpoint, so all run on the SQL layer.
import type { AuthorizationDetail, DeliveryMode, RequestOutcome } from "@ciba/protocol";
import type { AuthRequest as Row } from "../../generated/sqlite";
import type { SqlDriver, SqlRow } from "../sql/driver";
import { asBoolean, asDate, asDateOrNull, asNumber, asNumberOrNull, asString, asStringOrNull } from "../sql/columns";
import { parseJsonOrNull, toJsonOrNull } from "./json";

export type AuthRequestStatus = "pending" | RequestOutcome;

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

export function toAuthRequest(row: SqlRow): AuthRequest {
  return {
    id: asString(row.id),
    authReqId: asString(row.auth_req_id),
    clientId: asString(row.client_id),
    userId: asString(row.sub),
    scope: asString(row.scope),
    acrValues: asStringOrNull(row.acr_values),
    bindingMessage: asStringOrNull(row.binding_message),
    hintType: asString(row.hint_type),
    hint: asString(row.hint),
    authorizationDetails: parseJsonOrNull<AuthorizationDetail[]>(asStringOrNull(row.authorization_details)),
    requestContext: parseJsonOrNull<Record<string, unknown>>(asStringOrNull(row.request_context)),
    clientNotificationToken: asStringOrNull(row.client_notification_token),
    deliveryMode: asString(row.delivery_mode) as DeliveryMode,
    requestedExpiry: asNumberOrNull(row.requested_expiry),
    expiresAt: asDate(row.expires_at),
    interval: asNumber(row.interval),
    lastPolledAt: asDateOrNull(row.last_polled_at),
    status: asString(row.status) as AuthRequestStatus,
    suspectedFraud: asBoolean(row.suspected_fraud),
    decidedAt: asDateOrNull(row.decided_at),
    outcomeDescription: asStringOrNull(row.outcome_description),
    authTime: asDateOrNull(row.auth_time),
    acr: asStringOrNull(row.acr),
    amr: parseJsonOrNull<string[]>(asStringOrNull(row.amr)),
    consumedAt: asDateOrNull(row.consumed_at),
    createdAt: asDate(row.created_at),
  };
}

function withClient(row: SqlRow): AuthRequestWithClient {
  return {
    ...toAuthRequest(row),
    clientName: asString(row.client_name),
    clientNotificationEndpoint: asStringOrNull(row.client_notification_endpoint),
  };
}

const SELECT_WITH_CLIENT = `SELECT r.*, c."name" AS client_name, c."backchannel_client_notification_endpoint" AS client_notification_endpoint
  FROM "auth_requests" r JOIN "clients" c ON c."client_id" = r."client_id"`;

const INSERT = `INSERT INTO "auth_requests" ("id", "auth_req_id", "client_id", "sub", "scope", "acr_values", "binding_message",
  "hint_type", "hint", "authorization_details", "request_context", "client_notification_token", "delivery_mode",
  "requested_expiry", "expires_at", "interval", "status", "suspected_fraud", "created_at")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`;

/** The conditional update that redeems an approved request exactly once (also a step of grants.redeem). */
export const CONSUME_APPROVED = `UPDATE "auth_requests" SET "consumed_at" = ? WHERE "id" = ? AND "status" = 'approved' AND "consumed_at" IS NULL`;

export function authRequestsRepository(sql: SqlDriver) {
  return {
    async create(request: NewAuthRequest): Promise<AuthRequest> {
      await sql.run(INSERT, [
        request.id,
        request.authReqId,
        request.clientId,
        request.userId,
        request.scope,
        request.acrValues,
        request.bindingMessage,
        request.hintType,
        request.hint,
        toJsonOrNull(request.authorizationDetails),
        toJsonOrNull(request.requestContext),
        request.clientNotificationToken,
        request.deliveryMode,
        request.requestedExpiry,
        request.expiresAt,
        request.interval,
        false,
        request.createdAt,
      ]);
      return {
        ...request,
        lastPolledAt: null,
        status: "pending",
        suspectedFraud: false,
        decidedAt: null,
        outcomeDescription: null,
        authTime: null,
        acr: null,
        amr: null,
        consumedAt: null,
      };
    },

    async findByAuthReqId(authReqId: string): Promise<AuthRequest | null> {
      const row = await sql.get(`SELECT * FROM "auth_requests" WHERE "auth_req_id" = ?`, [authReqId]);
      return row ? toAuthRequest(row) : null;
    },

    async findById(id: string): Promise<AuthRequestWithClient | null> {
      const row = await sql.get(`${SELECT_WITH_CLIENT} WHERE r."id" = ?`, [id]);
      return row ? withClient(row) : null;
    },

    /** The user's requests still awaiting a decision, oldest first. */
    async listPendingForUser(userId: string, now: Date): Promise<AuthRequestWithClient[]> {
      const rows = await sql.all(
        `${SELECT_WITH_CLIENT} WHERE r."sub" = ? AND r."status" = 'pending' AND r."expires_at" > ? ORDER BY r."created_at" ASC`,
        [userId, now],
      );
      return rows.map(withClient);
    },

    /** The user's ended requests, newest first. */
    async listHistoryForUser(userId: string, limit: number): Promise<AuthRequestWithClient[]> {
      const rows = await sql.all(`${SELECT_WITH_CLIENT} WHERE r."sub" = ? AND r."status" <> 'pending' ORDER BY r."created_at" DESC LIMIT ?`, [
        userId,
        limit,
      ]);
      return rows.map(withClient);
    },

    /** Records a poll at `polledAt` and the interval that applies from now on. */
    async recordPoll(id: string, polledAt: Date, interval: number): Promise<void> {
      await sql.run(`UPDATE "auth_requests" SET "last_polled_at" = ?, "interval" = ? WHERE "id" = ?`, [polledAt, interval, id]);
    },

    /**
     * Records the decision if the request is still pending and unexpired at `decision.decidedAt`.
     * Returns the decided request, or null when it was no longer pending (another decision won).
     */
    async decide(id: string, decision: Decision): Promise<AuthRequestWithClient | null> {
      const changed = await sql.run(
        `UPDATE "auth_requests" SET "status" = ?, "suspected_fraud" = ?, "outcome_description" = ?, "decided_at" = ?, "auth_time" = ?, "acr" = ?, "amr" = ?
          WHERE "id" = ? AND "status" = 'pending' AND "expires_at" > ?`,
        [
          decision.status,
          decision.suspectedFraud,
          decision.outcomeDescription,
          decision.decidedAt,
          decision.authTime,
          decision.acr,
          toJsonOrNull(decision.amr),
          id,
          decision.decidedAt,
        ],
      );
      return changed === 1 ? this.findById(id) : null;
    },

    /** Pending requests whose expiry has passed at `now`. */
    async listDueToExpire(now: Date, limit = 100): Promise<AuthRequest[]> {
      const rows = await sql.all(`SELECT * FROM "auth_requests" WHERE "status" = 'pending' AND "expires_at" <= ? ORDER BY "expires_at" ASC LIMIT ?`, [
        now,
        limit,
      ]);
      return rows.map(toAuthRequest);
    },

    /** Moves a pending, past-expiry request to `expired`; false when something else ended it first. */
    async markExpired(id: string, now: Date): Promise<boolean> {
      const changed = await sql.run(
        `UPDATE "auth_requests" SET "status" = 'expired', "decided_at" = ? WHERE "id" = ? AND "status" = 'pending' AND "expires_at" <= ?`,
        [now, id, now],
      );
      return changed === 1;
    },

    /**
     * Redeems an approved request exactly once: true for the one caller that marks it consumed,
     * false for everyone else. (grants.redeem does this together with storing what it issues.)
     */
    async consume(id: string, now: Date): Promise<boolean> {
      return (await sql.run(CONSUME_APPROVED, [now, id])) === 1;
    },
  };
}

export type AuthRequestsRepository = ReturnType<typeof authRequestsRepository>;
