// A man in the middle between the provider and the console's notification endpoints: it forwards every
// ping and push, letting a test tamper with one on the way (as an attacker who stole a notification
// token could), and returns the console's answer to the provider.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Intercepted {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type Tamper = (message: Intercepted) => Intercepted | Promise<Intercepted>;

export interface Interceptor {
  url: string;
  /** Where to forward to (set once the console is listening). */
  target: string;
  /** Rewrites the next notification(s); null passes them through unchanged. */
  tamper: Tamper | null;
  /** Every notification seen, as received from the provider, with the console's status. */
  seen: Array<Intercepted & { status: number }>;
  close(): Promise<void>;
}

export async function startInterceptor(): Promise<Interceptor> {
  const interceptor: Interceptor = { url: "", target: "", tamper: null, seen: [], close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const original: Intercepted = {
          path: req.url ?? "/",
          headers: Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string")),
          body: Buffer.concat(chunks).toString("utf8"),
        };
        const message = interceptor.tamper ? await interceptor.tamper(original) : original;
        const forwarded = await fetch(`${interceptor.target}${message.path}`, {
          method: "POST",
          headers: { "content-type": message.headers["content-type"] ?? "application/json", ...(message.headers.authorization ? { authorization: message.headers.authorization } : {}) },
          body: message.body,
        });
        interceptor.seen.push({ ...original, status: forwarded.status });
        res.writeHead(forwarded.status, { "content-type": forwarded.headers.get("content-type") ?? "text/plain" });
        res.end(await forwarded.text());
      })().catch(() => {
        res.writeHead(502);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  interceptor.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  interceptor.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return interceptor;
}
