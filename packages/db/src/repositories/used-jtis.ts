// JWT identifiers already seen (client assertions, request objects), so a replay can be refused.
import type { DbClient } from "../database";

export function usedJtisRepository(prisma: DbClient) {
  return {
    /**
     * Records `key` as used until `expiresAt`. Returns false when it was already recorded and has not
     * expired: the caller is looking at a replay.
     */
    async use(key: string, expiresAt: Date, now: Date): Promise<boolean> {
      await prisma.usedJti.deleteMany({ where: { key, expiresAt: { lte: now } } });
      try {
        await prisma.usedJti.create({ data: { key, expiresAt } });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === "P2002") return false;
        throw error;
      }
    },

    async purgeExpired(now: Date): Promise<number> {
      const { count } = await prisma.usedJti.deleteMany({ where: { expiresAt: { lte: now } } });
      return count;
    },
  };
}

export type UsedJtisRepository = ReturnType<typeof usedJtisRepository>;
