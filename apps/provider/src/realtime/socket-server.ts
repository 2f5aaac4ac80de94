// Live status over socket.io. `/device`: an Authentication Device joins its user's room with its device
// token and hears only that user's requests. `/monitor`: a client joins its own room with its client
// credentials and hears only the protocol events of its own requests.
import type { IncomingMessage, Server as HttpServer } from "node:http";
import {
  DEVICE_NAMESPACE,
  type DeviceClientToServerEvents,
  type DeviceServerToClientEvents,
  MONITOR_NAMESPACE,
  type MonitorClientToServerEvents,
  type MonitorServerToClientEvents,
  type ProtocolEvent,
} from "@ciba/protocol";
import { type Namespace, Server, type ServerOptions } from "socket.io";
import type { Logger } from "../log";

export interface RealtimeAuth {
  /** The user and session a device token belongs to, or null. */
  device(token: string): Promise<{ sub: string; sessionId: string } | null>;
  /** The client id when the credentials authenticate a client, or null. */
  monitor(clientId: string, clientSecret: string): Promise<string | null>;
  /** Events to replay to a monitor after a reconnect. */
  replay(clientId: string, afterSeq: number): Promise<ProtocolEvent[]>;
}

export interface Realtime {
  io: Server;
  emitToUser<E extends keyof DeviceServerToClientEvents>(
    sub: string,
    event: E,
    ...args: Parameters<DeviceServerToClientEvents[E]>
  ): void;
  /** How many device connections the user has right now. */
  devicesOnline(sub: string): Promise<number>;
  emitToClient(clientId: string, event: ProtocolEvent): void;
  /** Drops the live connections of a device session that signed out. */
  disconnectDeviceSession(sessionId: string): void;
  close(): Promise<void>;
}

export interface RealtimeOptions {
  /** socket.io adapter shared by several instances (Redis); the in-memory one when absent. */
  adapter?: ServerOptions["adapter"];
  /** How long to wait for the other instances' answers when counting a user's devices. */
  clusterTimeoutMs?: number;
  /** Whether the other instances can be asked right now (false while Redis is unreachable). */
  clusterReachable?: () => boolean;
  /** Decides whether a new connection (handshake or upgrade) is let in; the refusal's reason otherwise. */
  admit?: (req: IncomingMessage) => Promise<string | null>;
}

const userRoom = (sub: string) => `user:${sub}`;
const clientRoom = (clientId: string) => `client:${clientId}`;
const sessionRoom = (sessionId: string) => `session:${sessionId}`;

export function attachRealtime(
  httpServer: HttpServer,
  corsOrigins: Array<string | RegExp>,
  auth: RealtimeAuth,
  log: Logger,
  options: RealtimeOptions = {},
): Realtime {
  const io = new Server(httpServer, {
    cors: { origin: corsOrigins, credentials: false },
    serveClient: false,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    allowRequest: (req, callback) => {
      if (!options.admit) return callback(null, true);
      options.admit(req).then(
        (refusal) => callback(refusal, refusal === null),
        (error: unknown) => {
          log.warn("could not check a socket connection against the rate limit; letting it in", { error: (error as Error).message });
          callback(null, true);
        },
      );
    },
  });
  const clusterTimeoutMs = options.clusterTimeoutMs ?? 2000;

  const devices = io.of(DEVICE_NAMESPACE) as unknown as Namespace<
    DeviceClientToServerEvents,
    DeviceServerToClientEvents,
    Record<string, never>,
    { sub: string }
  >;
  devices.use((socket, next) => {
    const token = (socket.handshake.auth as { device_token?: unknown }).device_token;
    if (typeof token !== "string" || !token) return next(new Error("invalid_token: device_token is required"));
    auth
      .device(token)
      .then((user) => {
        if (!user) return next(new Error("invalid_token: the device session is unknown or expired"));
        socket.data.sub = user.sub;
        void socket.join([userRoom(user.sub), sessionRoom(user.sessionId)]);
        next();
      })
      .catch((error: unknown) => {
        log.error("device socket authentication failed", { error: error as Error });
        next(new Error("server_error"));
      });
  });

  const monitors = io.of(MONITOR_NAMESPACE) as unknown as Namespace<
    MonitorClientToServerEvents,
    MonitorServerToClientEvents,
    Record<string, never>,
    { clientId: string }
  >;
  monitors.use((socket, next) => {
    const { client_id, client_secret } = socket.handshake.auth as { client_id?: unknown; client_secret?: unknown };
    if (typeof client_id !== "string" || typeof client_secret !== "string") {
      return next(new Error("invalid_client: client_id and client_secret are required"));
    }
    // No client_id holds a NUL (and PostgreSQL could not even look one up).
    if (client_id.includes("\u0000")) return next(new Error("invalid_client: client authentication failed"));
    auth
      .monitor(client_id, client_secret)
      .then((clientId) => {
        if (!clientId) return next(new Error("invalid_client: client authentication failed"));
        socket.data.clientId = clientId;
        void socket.join(clientRoom(clientId));
        next();
      })
      .catch((error: unknown) => {
        log.error("monitor socket authentication failed", { error: error as Error });
        next(new Error("server_error"));
      });
  });
  monitors.on("connection", (socket) => {
    socket.on("events:since", (afterSeq, ack) => {
      if (typeof ack !== "function") return;
      const { clientId } = socket.data;
      auth
        .replay(clientId, Number.isSafeInteger(afterSeq) ? afterSeq : 0)
        .then(ack)
        .catch((error: unknown) => {
          log.error("event replay failed", { error: error as Error });
          ack([]);
        });
    });
  });

  return {
    io,
    emitToUser(sub, event, ...args) {
      devices.to(userRoom(sub)).emit(event, ...args);
    },
    async devicesOnline(sub) {
      if (!options.adapter || options.clusterReachable?.() === false) {
        return (await devices.local.in(userRoom(sub)).fetchSockets()).length;
      }
      // With the Redis adapter this asks every instance; a slow or unreachable Redis must not hold up the
      // backchannel request that wants the count, so after a while this instance's own count is reported.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${clusterTimeoutMs} ms`)), clusterTimeoutMs);
      });
      try {
        return (await Promise.race([devices.in(userRoom(sub)).fetchSockets(), late])).length;
      } catch (error) {
        log.warn("could not count devices on other instances; counting this instance's", { error: (error as Error).message });
        return (await devices.local.in(userRoom(sub)).fetchSockets()).length;
      } finally {
        clearTimeout(timer);
      }
    },
    emitToClient(clientId, event) {
      monitors.to(clientRoom(clientId)).emit("protocol:event", event);
    },
    disconnectDeviceSession(sessionId) {
      devices.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
