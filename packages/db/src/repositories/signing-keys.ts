// The provider's persisted signing keys.
import type { DbClient } from "../database";

export type SigningKey = Awaited<ReturnType<DbClient["signingKey"]["findUniqueOrThrow"]>>;

export function signingKeysRepository(prisma: DbClient) {
  return {
    async listActive(): Promise<SigningKey[]> {
      return prisma.signingKey.findMany({ where: { retiredAt: null }, orderBy: { createdAt: "asc" } });
    },

    async create(key: Omit<SigningKey, "createdAt" | "retiredAt">): Promise<SigningKey> {
      return prisma.signingKey.create({ data: key });
    },
  };
}

export type SigningKeysRepository = ReturnType<typeof signingKeysRepository>;
