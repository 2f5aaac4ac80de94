// Grants (what an approval allowed) and the refresh tokens that derive from them. Redemption and
// rotation are atomic units: what a token response hands out is stored in the same transaction that
// wins the conditional update (first writer wins), or not at all.
import type { AuthorizationDetail } from "@ciba/protocol";
import type { Grant as GrantRow, RefreshToken as RefreshTokenRow } from "../../generated/sqlite";
import type { SqlDriver, SqlRow, SqlStep } from "../sql/driver";
import { asDate, asDateOrNull, asString, asStringOrNull } from "../sql/columns";
import { CONSUME_APPROVED } from "./auth-requests";
import { deliveryInsert, type NewDelivery } from "./deliveries";
import { parseJsonOrNull, toJsonOrNull } from "./json";

export interface Grant extends Omit<GrantRow, "authorizationDetails" | "amr"> {
  authorizationDetails: AuthorizationDetail[] | null;
  amr: string[] | null;
}

export type RefreshToken = RefreshTokenRow;

export interface NewGrant {
  id: string;
  clientId: string;
  userId: string;
  authRequestId: string | null;
  scope: string;
  authorizationDetails: AuthorizationDetail[] | null;
  acr: string | null;
  amr: string[] | null;
  authTime: Date;
}

export interface NewRefreshToken {
  id: string;
  tokenHash: string;
  grantId: string;
  dpopJkt: string | null;
  expiresAt: Date;
}

/** What redeeming an approved request stores, all or nothing. */
export interface Redemption {
  /** The approved request (its device-facing id), consumed by this redemption. */
  authRequestId: string;
  now: Date;
  grant: NewGrant;
  refreshToken: NewRefreshToken | null;
  /** Push mode: the delivery carrying the tokens to the client. */
  delivery?: NewDelivery;
}

function toGrant(row: SqlRow): Grant {
  return {
    id: asString(row.id),
    clientId: asString(row.client_id),
    userId: asString(row.sub),
    authRequestId: asStringOrNull(row.auth_request_id),
    scope: asString(row.scope),
    authorizationDetails: parseJsonOrNull<AuthorizationDetail[]>(asStringOrNull(row.authorization_details)),
    acr: asStringOrNull(row.acr),
    amr: parseJsonOrNull<string[]>(asStringOrNull(row.amr)),
    authTime: asDate(row.auth_time),
    createdAt: asDate(row.created_at),
    revokedAt: asDateOrNull(row.revoked_at),
  };
}

function toRefreshToken(row: SqlRow, prefix = ""): RefreshToken {
  return {
    id: asString(row[`${prefix}id`]),
    tokenHash: asString(row[`${prefix}token_hash`]),
    grantId: asString(row[`${prefix}grant_id`]),
    dpopJkt: asStringOrNull(row[`${prefix}dpop_jkt`]),
    createdAt: asDate(row[`${prefix}created_at`]),
    expiresAt: asDate(row[`${prefix}expires_at`]),
    consumedAt: asDateOrNull(row[`${prefix}consumed_at`]),
  };
}

function grantInsert(grant: NewGrant, now: Date): SqlStep {
  return {
    sql: `INSERT INTO "grants" ("id", "client_id", "sub", "auth_request_id", "scope", "authorization_details", "acr", "amr", "auth_time", "created_at")
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [
      grant.id,
      grant.clientId,
      grant.userId,
      grant.authRequestId,
      grant.scope,
      toJsonOrNull(grant.authorizationDetails),
      grant.acr,
      toJsonOrNull(grant.amr),
      grant.authTime,
      now,
    ],
  };
}

function refreshTokenInsert(token: NewRefreshToken, now: Date): SqlStep {
  return {
    sql: `INSERT INTO "refresh_tokens" ("id", "token_hash", "grant_id", "dpop_jkt", "created_at", "expires_at") VALUES (?, ?, ?, ?, ?, ?)`,
    params: [token.id, token.tokenHash, token.grantId, token.dpopJkt, now, token.expiresAt],
  };
}

export function grantsRepository(sql: SqlDriver) {
  return {
    async create(grant: NewGrant): Promise<Grant> {
      const now = new Date();
      const step = grantInsert(grant, now);
      await sql.run(step.sql, step.params);
      return { ...grant, createdAt: now, revokedAt: null };
    },

    /**
     * Consumes the approved request and stores its grant, refresh token and (push) delivery, in one
     * transaction. False when another redemption consumed it first: nothing is stored. A delivery
     * that exists already fails the whole unit with a unique violation.
     */
    async redeem(redemption: Redemption): Promise<boolean> {
      const { authRequestId, now, grant, refreshToken, delivery } = redemption;
      const steps: SqlStep[] = [{ sql: CONSUME_APPROVED, params: [now, authRequestId], requireOneRow: true }, grantInsert(grant, now)];
      if (refreshToken) steps.push(refreshTokenInsert(refreshToken, now));
      if (delivery) steps.push(deliveryInsert(delivery));
      return (await sql.atomically(steps)) !== null;
    },

    async findById(id: string): Promise<Grant | null> {
      const row = await sql.get(`SELECT * FROM "grants" WHERE "id" = ?`, [id]);
      return row ? toGrant(row) : null;
    },

    async findByAuthRequestId(authRequestId: string): Promise<Grant | null> {
      const row = await sql.get(`SELECT * FROM "grants" WHERE "auth_request_id" = ?`, [authRequestId]);
      return row ? toGrant(row) : null;
    },

    /** Revokes the grant: its access tokens stop working at userinfo and its refresh tokens are refused. */
    async revoke(id: string, now: Date): Promise<void> {
      await sql.run(`UPDATE "grants" SET "revoked_at" = ? WHERE "id" = ? AND "revoked_at" IS NULL`, [now, id]);
    },

    async createRefreshToken(token: NewRefreshToken): Promise<RefreshToken> {
      const now = new Date();
      const step = refreshTokenInsert(token, now);
      await sql.run(step.sql, step.params);
      return { ...token, createdAt: now, consumedAt: null };
    },

    async findRefreshTokenByHash(tokenHash: string): Promise<(RefreshToken & { grant: Grant }) | null> {
      const row = await sql.get(
        `SELECT t."id" AS t_id, t."token_hash" AS t_token_hash, t."grant_id" AS t_grant_id, t."dpop_jkt" AS t_dpop_jkt,
            t."created_at" AS t_created_at, t."expires_at" AS t_expires_at, t."consumed_at" AS t_consumed_at, g.*
          FROM "refresh_tokens" t JOIN "grants" g ON g."id" = t."grant_id" WHERE t."token_hash" = ?`,
        [tokenHash],
      );
      return row ? { ...toRefreshToken(row, "t_"), grant: toGrant(row) } : null;
    },

    /** Uses a refresh token exactly once: true for the one caller that consumes it. */
    async consumeRefreshToken(id: string, now: Date): Promise<boolean> {
      const changed = await sql.run(`UPDATE "refresh_tokens" SET "consumed_at" = ? WHERE "id" = ? AND "consumed_at" IS NULL AND "expires_at" > ?`, [
        now,
        id,
        now,
      ]);
      return changed === 1;
    },

    /**
     * Refresh token rotation: consumes `usedId` (once, unexpired at `now`) and stores its successor in
     * one transaction. False when it was already used or has expired: nothing is stored.
     */
    async rotateRefreshToken(usedId: string, now: Date, successor: NewRefreshToken | null): Promise<boolean> {
      const steps: SqlStep[] = [
        {
          sql: `UPDATE "refresh_tokens" SET "consumed_at" = ? WHERE "id" = ? AND "consumed_at" IS NULL AND "expires_at" > ?`,
          params: [now, usedId, now],
          requireOneRow: true,
        },
      ];
      if (successor) steps.push(refreshTokenInsert(successor, now));
      return (await sql.atomically(steps)) !== null;
    },
  };
}

export type GrantsRepository = ReturnType<typeof grantsRepository>;
