// The ping client's notification endpoint (CIBA Core §10.2), in the benchmark process: it notes when
// each ping has been read in full and answers 204.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface PingReceiver {
  url: string;
  /** Resolves with performance.now() when the ping for `authReqId` has arrived. */
  expect(authReqId: string): Promise<number>;
  received: number;
  close(): Promise<void>;
}

export async function startPingReceiver(port: number): Promise<PingReceiver> {
  const waiting = new Map<string, (at: number) => void>();
  const receiver = { received: 0 } as PingReceiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = performance.now();
      res.writeHead(204).end();
      receiver.received++;
      try {
        const { auth_req_id } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { auth_req_id?: string };
        if (auth_req_id) {
          waiting.get(auth_req_id)?.(at);
          waiting.delete(auth_req_id);
        }
      } catch {
        // not a ping: ignored
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping`;
  receiver.expect = (authReqId) => new Promise((resolve) => waiting.set(authReqId, resolve));
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
