// JWT identifiers already seen (client assertions, request objects), so a replay can be refused.
// Every private_key_jwt authentication records one, so this runs on the SQL layer.
import type { SqlDriver } from "../sql/driver";

export function usedJtisRepository(sql: SqlDriver) {
  return {
    /**
     * Records `key` as used until `expiresAt`. Returns false when it was already recorded and has not
     * expired: the caller is looking at a replay.
     */
    async use(key: string, expiresAt: Date, now: Date): Promise<boolean> {
      const results = await sql.atomically([
        { sql: `DELETE FROM "used_jtis" WHERE "key" = ? AND "expires_at" <= ?`, params: [key, now] },
        { sql: `INSERT INTO "used_jtis" ("key", "expires_at") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING`, params: [key, expiresAt] },
      ]);
      return results![1]!.changes === 1;
    },

    async purgeExpired(now: Date): Promise<number> {
      return sql.run(`DELETE FROM "used_jtis" WHERE "expires_at" <= ?`, [now]);
    },
  };
}

export type UsedJtisRepository = ReturnType<typeof usedJtisRepository>;
