// Live protocol events from the provider's socket.io /monitor namespace, one connection per client
// (each hears only its own requests). Every payload is validated with the shared schema before use;
// after a reconnect the events missed meanwhile are replayed with `events:since`.
import {
  type DeliveryMode,
  MONITOR_NAMESPACE,
  type MonitorClientToServerEvents,
  type MonitorServerToClientEvents,
  type ProtocolEvent,
  protocolEventSchema,
} from "@ciba/protocol";
import { io, type Socket } from "socket.io-client";
import type { Logger } from "../server/log";
import type { RpClient, RpClients } from "./clients";

export interface MonitorHandlers {
  onEvent: (mode: DeliveryMode, event: ProtocolEvent) => void;
  onConnectionChange: (mode: DeliveryMode, connected: boolean, error: string | null) => void;
  /** Whether a replay from `afterSeq` is worth asking for (e.g. requests are in flight). */
  wantsReplay: (mode: DeliveryMode) => boolean;
}

export interface Monitor {
  connected(mode: DeliveryMode): boolean;
  close(): void;
}

type MonitorSocket = Socket<MonitorServerToClientEvents, MonitorClientToServerEvents>;

export function startMonitor(providerUrl: string, clients: RpClients, handlers: MonitorHandlers, log: Logger): Monitor {
  const url = new URL(MONITOR_NAMESPACE, providerUrl).toString();
  const sockets = new Map<DeliveryMode, MonitorSocket>();

  const connect = (client: RpClient) => {
    let lastSeq: number | null = null;
    const accept = (raw: unknown) => {
      const parsed = protocolEventSchema.safeParse(raw);
      if (!parsed.success) {
        log.warn("ignored a malformed protocol event from the provider", { mode: client.mode, issue: parsed.error.issues[0]?.message });
        return;
      }
      lastSeq = Math.max(lastSeq ?? 0, parsed.data.seq);
      handlers.onEvent(client.mode, parsed.data);
    };

    const socket: MonitorSocket = io(url, {
      auth: { client_id: client.clientId, client_secret: client.clientSecret },
      transports: ["websocket"],
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    socket.on("connect", () => {
      handlers.onConnectionChange(client.mode, true, null);
      if (lastSeq === null && !handlers.wantsReplay(client.mode)) return;
      socket.emit("events:since", lastSeq ?? 0, (events) => {
        if (Array.isArray(events)) for (const event of events) accept(event);
      });
    });
    socket.on("protocol:event", accept);
    socket.on("disconnect", (reason) => handlers.onConnectionChange(client.mode, false, `disconnected (${reason})`));
    socket.on("connect_error", (error) => handlers.onConnectionChange(client.mode, false, error.message));
    sockets.set(client.mode, socket);
  };

  for (const client of Object.values(clients)) connect(client);

  return {
    connected: (mode) => sockets.get(mode)?.connected ?? false,
    close() {
      for (const socket of sockets.values()) socket.disconnect();
      sockets.clear();
    },
  };
}
