// A real client notification endpoint on loopback (node:http), for ping and push tests: it records
// every request it gets and answers from a script of responses (the last one repeats).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedNotification {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  /** performance.now() when the request had been read completely. */
  at: number;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface Receiver {
  /** The receiver's URL for `path`, on 127.0.0.1. */
  url(path?: string): string;
  readonly received: ReceivedNotification[];
  /** Requests received on `path` so far. */
  on(path: string): ReceivedNotification[];
  /** Answers the next requests with these responses in order; the last one repeats. */
  answer(...answers: Answer[]): void;
  /** The same for requests on one path only (other paths keep the general script). */
  answerOn(path: string, ...answers: Answer[]): void;
  /** Resolves once `count` requests have arrived on `path` (any path when omitted). */
  waitFor(count: number, path?: string): Promise<ReceivedNotification[]>;
  /** When set, decides the answer to each request (the scripts are then ignored). */
  decide?: (notification: ReceivedNotification) => Answer;
  /** Called with each request as it arrives, before it is answered. */
  onRequest?: (notification: ReceivedNotification) => Promise<void> | void;
  close(): Promise<void>;
}

export async function startReceiver(host = "127.0.0.1"): Promise<Receiver> {
  const received: ReceivedNotification[] = [];
  let script: Answer[] = [{ status: 204 }];
  const pathScripts = new Map<string, Answer[]>();
  const nextAnswer = (path: string): Answer => {
    const list = pathScripts.get(path) ?? script;
    return list.length > 1 ? list.shift()! : list[0]!;
  };
  const waiters: Array<{ count: number; path?: string; resolve: (r: ReceivedNotification[]) => void }> = [];
  const matching = (path?: string) => (path ? received.filter((r) => r.path === path) : received);

  const checkWaiters = () => {
    for (const waiter of [...waiters]) {
      const list = matching(waiter.path);
      if (list.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(list);
      }
    }
  };

  const holder: { receiver?: Receiver } = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const notification = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, body, at: performance.now() };
      const answer = holder.receiver?.decide?.(notification) ?? nextAnswer(notification.path);
      // A request counts as received once onRequest is done with it, so waitFor includes its effects.
      void Promise.resolve(holder.receiver?.onRequest?.(notification)).then(() => {
        received.push(notification);
        checkWaiters();
        if (answer.hang) return;
        res.writeHead(answer.status, answer.headers ?? (answer.body ? { "Content-Type": "application/json" } : {}));
        res.end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  const receiver: Receiver = {
    url: (path = "/cb") => `http://${host}:${port}${path}`,
    received,
    on: (path) => matching(path),
    answer(...answers) {
      script = answers;
    },
    answerOn(path, ...answers) {
      pathScripts.set(path, answers);
    },
    waitFor(count, path) {
      return new Promise((resolve) => {
        waiters.push({ count, path, resolve });
        checkWaiters();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  holder.receiver = receiver;
  return receiver;
}

/** Answers the first notification of each auth_req_id 503 and every later one 204: each ping needs a retry. */
export function refuseFirstAttempts(receiver: Receiver): void {
  const seen = new Set<string>();
  receiver.decide = (notification) => {
    const { auth_req_id } = notification.body as { auth_req_id: string };
    if (seen.has(auth_req_id)) return { status: 204 };
    seen.add(auth_req_id);
    return { status: 503 };
  };
}
