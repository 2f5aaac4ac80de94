// The protocol event log: append-only, read back per client or per request.
import type { DbClient } from "../database";
import { parseJson, toJson } from "./json";

export interface StoredProtocolEvent {
  id: number;
  type: string;
  authRequestId: string | null;
  clientId: string | null;
  userId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export type NewProtocolEvent = Omit<StoredProtocolEvent, "id">;

type Row = Awaited<ReturnType<DbClient["protocolEvent"]["findUniqueOrThrow"]>>;

function toEvent(row: Row): StoredProtocolEvent {
  return { ...row, data: parseJson<Record<string, unknown>>(row.data) };
}

export function protocolEventsRepository(prisma: DbClient) {
  return {
    async append(event: NewProtocolEvent): Promise<StoredProtocolEvent> {
      return toEvent(await prisma.protocolEvent.create({ data: { ...event, data: toJson(event.data) } }));
    },

    /** A client's events after `afterId`, oldest first. */
    async listForClient(clientId: string, afterId: number, limit = 500): Promise<StoredProtocolEvent[]> {
      const rows = await prisma.protocolEvent.findMany({
        where: { clientId, id: { gt: afterId } },
        orderBy: { id: "asc" },
        take: limit,
      });
      return rows.map(toEvent);
    },

    async listForAuthRequest(authRequestId: string): Promise<StoredProtocolEvent[]> {
      const rows = await prisma.protocolEvent.findMany({ where: { authRequestId }, orderBy: { id: "asc" } });
      return rows.map(toEvent);
    },
  };
}

export type ProtocolEventsRepository = ReturnType<typeof protocolEventsRepository>;
