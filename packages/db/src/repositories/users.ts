// End-users, found by whatever identifies them in a hint.
import type { LoginHintKind } from "@ciba/protocol";
import type { DbClient } from "../database";

export type User = Awaited<ReturnType<DbClient["user"]["findUniqueOrThrow"]>>;

export function usersRepository(prisma: DbClient) {
  return {
    async findBySub(sub: string): Promise<User | null> {
      return prisma.user.findUnique({ where: { id: sub } });
    },

    /** Finds the user a classified login hint names. */
    async findByHint(kind: LoginHintKind, value: string): Promise<User | null> {
      switch (kind) {
        case "email":
          return prisma.user.findUnique({ where: { email: value } });
        case "phone_number":
          return prisma.user.findUnique({ where: { phoneNumber: value } });
        case "customer_number":
          return prisma.user.findUnique({ where: { customerNumber: value } });
        case "sub":
          return prisma.user.findUnique({ where: { id: value } });
      }
    },

    async create(user: Omit<User, "createdAt" | "emailVerified" | "phoneNumberVerified" | "failedPinAttempts" | "pinLockedUntil">): Promise<User> {
      return prisma.user.create({ data: user });
    },

    async list(): Promise<User[]> {
      return prisma.user.findMany({ orderBy: { name: "asc" } });
    },

    /** Counts a wrong PIN; from `lockAfter` failures on, the PIN is locked until `lockUntil`. */
    async recordPinFailure(sub: string, lockAfter: number, lockUntil: Date): Promise<User> {
      const user = await prisma.user.update({ where: { id: sub }, data: { failedPinAttempts: { increment: 1 } } });
      if (user.failedPinAttempts >= lockAfter) {
        return prisma.user.update({ where: { id: sub }, data: { pinLockedUntil: lockUntil } });
      }
      return user;
    },

    async resetPinFailures(sub: string): Promise<void> {
      await prisma.user.updateMany({
        where: { id: sub, OR: [{ failedPinAttempts: { gt: 0 } }, { pinLockedUntil: { not: null } }] },
        data: { failedPinAttempts: 0, pinLockedUntil: null },
      });
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
