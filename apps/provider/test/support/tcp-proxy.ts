// A TCP proxy in front of a server (Redis), so a test can take the server away from the provider and
// give it back without touching the server itself: cut() drops every connection and refuses new ones,
// restore() accepts them again on the same port.
import { createServer, type Server, type Socket, connect } from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  port: number;
  /** The upstream URL with this proxy's host and port instead. */
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreamUrl: string): Promise<TcpProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    const target = connect(Number(upstream.port || 6379), upstream.hostname);
    track(client);
    track(target);
    client.on("error", () => target.destroy());
    target.on("error", () => client.destroy());
    client.pipe(target).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const url = new URL(upstreamUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  const stop = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
  return { port, url: url.toString(), cut: stop, restore: () => listen(port), close: stop };
}
