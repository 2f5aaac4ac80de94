// socket.io clients for tests: a device on /device and a client monitor on /monitor, collecting what
// they receive so tests can wait for a given event.
import {
  DEVICE_NAMESPACE,
  type DeviceServerToClientEvents,
  MONITOR_NAMESPACE,
  type MonitorClientToServerEvents,
  type MonitorServerToClientEvents,
  type ProtocolEvent,
} from "@ciba/protocol";
import { io, type Socket } from "socket.io-client";

export interface Received<T> {
  items: T[];
  /** Resolves with the first received item matching `predicate` (waiting up to `ms`). */
  waitFor(predicate: (item: T) => boolean, ms?: number): Promise<T>;
}

function collector<T>(): Received<T> & { push(item: T): void } {
  const items: T[] = [];
  const waiters: Array<{ predicate: (item: T) => boolean; resolve: (item: T) => void }> = [];
  return {
    items,
    push(item) {
      items.push(item);
      for (const w of [...waiters]) {
        if (w.predicate(item)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(item);
        }
      }
    },
    waitFor(predicate, ms = 5000) {
      const found = items.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("timed out waiting for a socket event")), ms);
        waiters.push({ predicate, resolve: (item) => (clearTimeout(timer), resolve(item)) });
      });
    },
  };
}

type DeviceEvent =
  | { event: "request:created"; payload: Parameters<DeviceServerToClientEvents["request:created"]>[0] }
  | { event: "request:ended"; payload: Parameters<DeviceServerToClientEvents["request:ended"]>[0] };

export async function connectDevice(issuer: string, deviceToken: string) {
  const socket: Socket<DeviceServerToClientEvents> = io(`${issuer}${DEVICE_NAMESPACE}`, {
    auth: { device_token: deviceToken },
    transports: ["websocket"],
    reconnection: false,
  });
  const received = collector<DeviceEvent>();
  socket.on("request:created", (payload) => received.push({ event: "request:created", payload }));
  socket.on("request:ended", (payload) => received.push({ event: "request:ended", payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return { socket, received };
}

export async function connectMonitor(issuer: string, clientId: string, clientSecret: string) {
  const socket: Socket<MonitorServerToClientEvents, MonitorClientToServerEvents> = io(`${issuer}${MONITOR_NAMESPACE}`, {
    auth: { client_id: clientId, client_secret: clientSecret },
    transports: ["websocket"],
    reconnection: false,
  });
  const received = collector<ProtocolEvent>();
  socket.on("protocol:event", (event) => received.push(event));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return { socket, received };
}
