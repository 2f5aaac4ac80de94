// All repositories over one database: the hot paths on its SQL layer, the rest on Prisma.
import type { DbClient } from "./database";
import { authRequestsRepository } from "./repositories/auth-requests";
import { clientsRepository } from "./repositories/clients";
import { deliveriesRepository } from "./repositories/deliveries";
import { deviceSessionsRepository } from "./repositories/device-sessions";
import { grantsRepository } from "./repositories/grants";
import { protocolEventsRepository } from "./repositories/protocol-events";
import { signingKeysRepository } from "./repositories/signing-keys";
import { usedJtisRepository } from "./repositories/used-jtis";
import { usersRepository } from "./repositories/users";
import type { SqlDriver } from "./sql/driver";

/**
 * What repositories run on: a Database, or its SQL layer with a Prisma transaction in place of its
 * Prisma client (e.g. seeding under a lock; only Prisma-backed writes join that transaction).
 */
export interface DataSources {
  prisma: DbClient;
  sql: SqlDriver;
}

export function createRepositories({ prisma, sql }: DataSources) {
  return {
    clients: clientsRepository(prisma, sql),
    users: usersRepository(prisma, sql),
    authRequests: authRequestsRepository(sql),
    grants: grantsRepository(sql),
    signingKeys: signingKeysRepository(prisma),
    deviceSessions: deviceSessionsRepository(sql),
    protocolEvents: protocolEventsRepository(sql),
    usedJtis: usedJtisRepository(sql),
    deliveries: deliveriesRepository(sql),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
