// Signed-in Authentication Devices, found by the hash of their bearer device token (every Device API
// call looks its session up, so this runs on the SQL layer).
import type { DeviceSession } from "../../generated/sqlite";
import { asDate, asDateOrNull, asString } from "../sql/columns";
import type { SqlDriver } from "../sql/driver";

export type { DeviceSession };

export function deviceSessionsRepository(sql: SqlDriver) {
  return {
    async create(session: Omit<DeviceSession, "createdAt" | "revokedAt">): Promise<DeviceSession> {
      const createdAt = new Date();
      await sql.run(`INSERT INTO "device_sessions" ("id", "token_hash", "sub", "created_at", "expires_at") VALUES (?, ?, ?, ?, ?)`, [
        session.id,
        session.tokenHash,
        session.userId,
        createdAt,
        session.expiresAt,
      ]);
      return { ...session, createdAt, revokedAt: null };
    },

    /** The live session for a token hash at `now`, with its user; null when unknown, expired or revoked. */
    async findActiveByTokenHash(tokenHash: string, now: Date): Promise<(DeviceSession & { user: { id: string; name: string } }) | null> {
      const row = await sql.get(
        `SELECT s.*, u."name" AS user_name FROM "device_sessions" s JOIN "users" u ON u."sub" = s."sub" WHERE s."token_hash" = ?`,
        [tokenHash],
      );
      if (!row) return null;
      const session = {
        id: asString(row.id),
        tokenHash: asString(row.token_hash),
        userId: asString(row.sub),
        createdAt: asDate(row.created_at),
        expiresAt: asDate(row.expires_at),
        revokedAt: asDateOrNull(row.revoked_at),
        user: { id: asString(row.sub), name: asString(row.user_name) },
      };
      if (session.revokedAt || session.expiresAt <= now) return null;
      return session;
    },

    async revoke(id: string, now: Date): Promise<void> {
      await sql.run(`UPDATE "device_sessions" SET "revoked_at" = ? WHERE "id" = ? AND "revoked_at" IS NULL`, [now, id]);
    },

    /** Deletes the sessions no device can use any more (expired or signed out); returns how many. */
    async purgeEnded(now: Date): Promise<number> {
      return sql.run(`DELETE FROM "device_sessions" WHERE "expires_at" <= ? OR "revoked_at" IS NOT NULL`, [now]);
    },
  };
}

export type DeviceSessionsRepository = ReturnType<typeof deviceSessionsRepository>;
