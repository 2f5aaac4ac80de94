// Grants (what an approval allowed) and the refresh tokens that derive from them.
import type { AuthorizationDetail } from "@ciba/protocol";
import type { DbClient } from "../database";
import { parseJsonOrNull, toJsonOrNull } from "./json";

type GrantRow = Awaited<ReturnType<DbClient["grant"]["findUniqueOrThrow"]>>;
type RefreshTokenRow = Awaited<ReturnType<DbClient["refreshToken"]["findUniqueOrThrow"]>>;

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

function toGrant(row: GrantRow): Grant {
  return {
    ...row,
    authorizationDetails: parseJsonOrNull<AuthorizationDetail[]>(row.authorizationDetails),
    amr: parseJsonOrNull<string[]>(row.amr),
  };
}

export function grantsRepository(prisma: DbClient) {
  return {
    async create(grant: NewGrant): Promise<Grant> {
      const row = await prisma.grant.create({
        data: { ...grant, authorizationDetails: toJsonOrNull(grant.authorizationDetails), amr: toJsonOrNull(grant.amr) },
      });
      return toGrant(row);
    },

    async findById(id: string): Promise<Grant | null> {
      const row = await prisma.grant.findUnique({ where: { id } });
      return row && toGrant(row);
    },

    async findByAuthRequestId(authRequestId: string): Promise<Grant | null> {
      const row = await prisma.grant.findUnique({ where: { authRequestId } });
      return row && toGrant(row);
    },

    /** Revokes the grant: its access tokens stop working at userinfo and its refresh tokens are refused. */
    async revoke(id: string, now: Date): Promise<void> {
      await prisma.grant.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    },

    async createRefreshToken(token: NewRefreshToken): Promise<RefreshToken> {
      return prisma.refreshToken.create({ data: token });
    },

    async findRefreshTokenByHash(tokenHash: string): Promise<(RefreshToken & { grant: Grant }) | null> {
      const row = await prisma.refreshToken.findUnique({ where: { tokenHash }, include: { grant: true } });
      return row && { ...row, grant: toGrant(row.grant) };
    },

    /** Uses a refresh token exactly once: true for the one caller that consumes it. */
    async consumeRefreshToken(id: string, now: Date): Promise<boolean> {
      const { count } = await prisma.refreshToken.updateMany({
        where: { id, consumedAt: null, expiresAt: { gt: now } },
        data: { consumedAt: now },
      });
      return count === 1;
    },
  };
}

export type GrantsRepository = ReturnType<typeof grantsRepository>;
