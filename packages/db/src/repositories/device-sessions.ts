// Signed-in Authentication Devices, found by the hash of their bearer device token.
import type { DbClient } from "../database";

export type DeviceSession = Awaited<ReturnType<DbClient["deviceSession"]["findUniqueOrThrow"]>>;

export function deviceSessionsRepository(prisma: DbClient) {
  return {
    async create(session: Omit<DeviceSession, "createdAt" | "revokedAt">): Promise<DeviceSession> {
      return prisma.deviceSession.create({ data: session });
    },

    /** The live session for a token hash at `now`, with its user; null when unknown, expired or revoked. */
    async findActiveByTokenHash(tokenHash: string, now: Date) {
      const session = await prisma.deviceSession.findUnique({
        where: { tokenHash },
        include: { user: { select: { id: true, name: true } } },
      });
      if (!session || session.revokedAt || session.expiresAt <= now) return null;
      return session;
    },

    async revoke(id: string, now: Date): Promise<void> {
      await prisma.deviceSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    },
  };
}

export type DeviceSessionsRepository = ReturnType<typeof deviceSessionsRepository>;
