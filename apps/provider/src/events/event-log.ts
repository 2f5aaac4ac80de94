// Every state change of a request is written to the protocol event log and then emitted live to the
// client's monitor room, so the console's timeline and the stored log never disagree.
import type { Repositories, StoredProtocolEvent } from "@ciba/db";
import type { ProtocolEvent, ProtocolEventData, ProtocolEventType } from "@ciba/protocol";
import type { Clock } from "../clock";

/** What an event is about. */
export interface EventSubject {
  id: string;
  authReqId: string;
  clientId: string;
  userId: string;
}

export interface EventLog {
  record<T extends ProtocolEventType>(type: T, subject: EventSubject, data: ProtocolEventData<T>): Promise<ProtocolEvent>;
  /** A client's events after `afterSeq`, for a monitor that reconnects. */
  since(clientId: string, afterSeq: number): Promise<ProtocolEvent[]>;
}

export type EventSink = (clientId: string, event: ProtocolEvent) => void;

export function toWireEvent(stored: StoredProtocolEvent): ProtocolEvent {
  const { auth_req_id, ...data } = stored.data as { auth_req_id: string } & Record<string, unknown>;
  return {
    seq: stored.id,
    at: stored.createdAt.toISOString(),
    auth_req_id,
    client_id: stored.clientId ?? "",
    type: stored.type,
    data,
  } as ProtocolEvent;
}

export function createEventLog(repos: Repositories, clock: Clock, sink: EventSink): EventLog {
  return {
    async record(type, subject, data) {
      const stored = await repos.protocolEvents.append({
        type,
        authRequestId: subject.id,
        clientId: subject.clientId,
        userId: subject.userId,
        data: { auth_req_id: subject.authReqId, ...data },
        createdAt: clock.now(),
      });
      const event = toWireEvent(stored);
      sink(subject.clientId, event);
      return event;
    },

    async since(clientId, afterSeq) {
      return (await repos.protocolEvents.listForClient(clientId, afterSeq)).map(toWireEvent);
    },
  };
}
