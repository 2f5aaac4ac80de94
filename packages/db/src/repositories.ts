// All repositories over one client or transaction.
import type { Database, DbClient } from "./database";
import { authRequestsRepository } from "./repositories/auth-requests";
import { clientsRepository } from "./repositories/clients";
import { deliveriesRepository } from "./repositories/deliveries";
import { deviceSessionsRepository } from "./repositories/device-sessions";
import { grantsRepository } from "./repositories/grants";
import { protocolEventsRepository } from "./repositories/protocol-events";
import { signingKeysRepository } from "./repositories/signing-keys";
import { usedJtisRepository } from "./repositories/used-jtis";
import { usersRepository } from "./repositories/users";

export function createRepositories(prisma: DbClient) {
  return {
    clients: clientsRepository(prisma),
    users: usersRepository(prisma),
    authRequests: authRequestsRepository(prisma),
    grants: grantsRepository(prisma),
    signingKeys: signingKeysRepository(prisma),
    deviceSessions: deviceSessionsRepository(prisma),
    protocolEvents: protocolEventsRepository(prisma),
    usedJtis: usedJtisRepository(prisma),
    deliveries: deliveriesRepository(prisma),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/** Runs `work` in one database transaction with repositories bound to it. */
export function inTransaction<T>(db: Database, work: (repos: Repositories) => Promise<T>): Promise<T> {
  return db.prisma.$transaction((tx) => work(createRepositories(tx)));
}
