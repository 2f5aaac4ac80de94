// End-users, found by whatever identifies them in a hint. Look-ups are on the hot paths (every
// backchannel request resolves its hint) and run on the SQL layer; the rare writes stay on Prisma.
import type { LoginHintKind } from "@ciba/protocol";
import type { DbClient } from "../database";
import type { User } from "../../generated/sqlite";
import { asBoolean, asDate, asDateOrNull, asNumber, asString, asStringOrNull } from "../sql/columns";
import type { SqlDriver, SqlRow } from "../sql/driver";

export type { User };

function toUser(row: SqlRow): User {
  return {
    id: asString(row.sub),
    name: asString(row.name),
    givenName: asString(row.given_name),
    familyName: asString(row.family_name),
    email: asString(row.email),
    emailVerified: asBoolean(row.email_verified),
    phoneNumber: asString(row.phone_number),
    phoneNumberVerified: asBoolean(row.phone_number_verified),
    customerNumber: asString(row.customer_number),
    locale: asStringOrNull(row.locale),
    pinHash: asString(row.pin_hash),
    userCodeHash: asStringOrNull(row.user_code_hash),
    failedPinAttempts: asNumber(row.failed_pin_attempts),
    pinLockedUntil: asDateOrNull(row.pin_locked_until),
    createdAt: asDate(row.created_at),
  };
}

/** The unique column each hint kind is looked up by. */
const hintColumn: Record<LoginHintKind, string> = {
  email: "email",
  phone_number: "phone_number",
  customer_number: "customer_number",
  sub: "sub",
};

export function usersRepository(prisma: DbClient, sql: SqlDriver) {
  return {
    async findBySub(sub: string): Promise<User | null> {
      const row = await sql.get(`SELECT * FROM "users" WHERE "sub" = ?`, [sub]);
      return row ? toUser(row) : null;
    },

    /** Finds the user a classified login hint names. */
    async findByHint(kind: LoginHintKind, value: string): Promise<User | null> {
      const row = await sql.get(`SELECT * FROM "users" WHERE "${hintColumn[kind]}" = ?`, [value]);
      return row ? toUser(row) : null;
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
