// Benchmark (not a test): how long after the user's approval a client learns of it, for ping, push
// and long polling. The real provider runs in this process on a fresh SQLite file; the outside world
// (the device approving, the client's notification endpoint on loopback, the long-polling client)
// runs in a worker thread with its own event loop, as it would on other machines. Flows run one
// after another; p50/p99 are printed.
//
//   npm run bench:latency -w @ciba/provider               250 flows per mode
//   npm run bench:latency -w @ciba/provider -- 500        500 flows per mode
//   npm run bench:latency -w @ciba/provider -- 250 /dev/shm   database file in another folder
//
// A sample runs from the moment the device sends its approve request to the moment the endpoint has
// read the ping or push request, or the long-polling client has read the token response. Times are
// taken in the worker only. The approval carries no PIN (possession only), so scrypt's deliberate
// cost is left out; everything else (device authentication, the decision's writes, the event log,
// the delivery row, token signing for push and long polling) is in.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { cibaClient, DEMO_CLIENT_SECRET, DEMO_PIN } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { readEnv } from "../src/env";
import { type RunningProvider, startProvider } from "../src/start";

const WARM_UP = 20;
const ALICE = "alice@example.com";

/** What the worker asks the provider's thread (outside the timed windows). */
type Question = { seq: number; ask: "requestId" | "held"; authReqId: string };
type Reply = { seq: number; value: string | boolean | null };

// ---------------------------------------------------------------------------------------------------
// Worker thread: the device, the notification endpoint and the client.
// ---------------------------------------------------------------------------------------------------

async function outsideWorld(issuer: string, flows: number): Promise<void> {
  const port = parentPort!;
  let seq = 0;
  const pending = new Map<number, (value: Reply["value"]) => void>();
  port.on("message", (reply: Reply) => pending.get(reply.seq)?.(reply.value));
  const ask = (question: Question["ask"], authReqId: string) =>
    new Promise<Reply["value"]>((resolve) => {
      pending.set(++seq, resolve);
      port.postMessage({ seq, ask: question, authReqId } satisfies Question);
    });

  const arrivals = new Map<string, (at: number) => void>();
  const endpoint = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = performance.now();
      const { auth_req_id } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { auth_req_id: string };
      res.writeHead(204).end();
      arrivals.get(auth_req_id)?.(at);
      arrivals.delete(auth_req_id);
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  const endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/cb`;
  port.postMessage({ endpointUrl });
  await new Promise((resolve) => port.once("message", resolve));

  const basic = (clientId: string) => `Basic ${Buffer.from(`${clientId}:${DEMO_CLIENT_SECRET}`).toString("base64")}`;
  const post = async (url: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(url, { method: "POST", headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const form = "application/x-www-form-urlencoded";

  const login = await post(`${issuer}/device/login`, JSON.stringify({ login_hint: ALICE, pin: DEMO_PIN }), {
    "content-type": "application/json",
  });
  const device = { authorization: `Bearer ${login.json.device_token as string}`, "content-type": "application/json" };

  async function start(clientId: string, extra: Record<string, string> = {}) {
    const params = new URLSearchParams({ scope: "openid", login_hint: ALICE, ...extra }).toString();
    const ack = await post(`${issuer}/backchannel-authentication`, params, { authorization: basic(clientId), "content-type": form });
    if (ack.status !== 200) throw new Error(`backchannel authentication failed: ${JSON.stringify(ack.json)}`);
    const authReqId = ack.json.auth_req_id as string;
    return { authReqId, id: (await ask("requestId", authReqId)) as string };
  }
  const approve = (id: string) => post(`${issuer}/device/requests/${id}/approve`, "{}", device);

  async function notified(clientId: string): Promise<number> {
    const { authReqId, id } = await start(clientId, { client_notification_token: `bench-${crypto.randomUUID()}` });
    const arrival = new Promise<number>((resolve) => arrivals.set(authReqId, resolve));
    const started = performance.now();
    const approved = approve(id);
    const at = await arrival;
    if ((await approved).status !== 200) throw new Error("approval failed");
    return at - started;
  }

  async function longPolled(): Promise<number> {
    const { authReqId, id } = await start("demo-poll");
    const body = new URLSearchParams({ grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId }).toString();
    const answer = post(`${issuer}/token`, body, { authorization: basic("demo-poll"), "content-type": form, prefer: "wait=30" });
    while (!(await ask("held", authReqId))) await new Promise((resolve) => setTimeout(resolve, 1));
    const started = performance.now();
    const approved = approve(id);
    const tokens = await answer;
    const elapsed = performance.now() - started;
    if (tokens.status !== 200 || tokens.headers.get("preference-applied") !== "wait=30") {
      throw new Error(`long poll failed: ${JSON.stringify(tokens.json)}`);
    }
    await approved;
    return elapsed;
  }

  const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  async function measure(name: string, target: number, run: () => Promise<number>) {
    for (let i = 0; i < WARM_UP; i++) await run();
    const samples: number[] = [];
    for (let i = 0; i < flows; i++) samples.push(await run());
    samples.sort((a, b) => a - b);
    const [p50, p99] = [percentile(samples, 0.5), percentile(samples, 0.99)];
    const verdict = p99 < target ? "met" : `missed by ${(p99 - target).toFixed(2)} ms`;
    const ms = (value: number) => `${value.toFixed(2).padStart(6)} ms`;
    console.log(`${name.padEnd(28)} p50 ${ms(p50)}  p99 ${ms(p99)}  max ${ms(samples.at(-1)!)}  target p99 < ${target} ms: ${verdict}`);
  }

  console.log(`approval -> client, ${flows} flows per mode after ${WARM_UP} warm-up flows`);
  await measure("approve -> ping arrives", 10, () => notified("bench-ping"));
  await measure("approve -> push arrives", 15, () => notified("bench-push"));
  await measure("approve -> long-poll tokens", 15, longPolled);
  endpoint.close();
  // Listening on the port would keep this thread alive.
  port.removeAllListeners("message");
  port.unref();
}

// ---------------------------------------------------------------------------------------------------
// Main thread: the provider.
// ---------------------------------------------------------------------------------------------------

async function providerSide(flows: number, folder: string | undefined): Promise<void> {
  const dir = mkdtempSync(path.join(folder ?? tmpdir(), "ciba-bench-"));
  let provider: RunningProvider | null = null;
  try {
    provider = await startProvider({
      env: readEnv({
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
        HOST: "127.0.0.1",
        PORT: "0",
        DATABASE_URL: `file:${path.join(dir, "bench.sqlite")}`,
        CONSOLE_URL: "http://127.0.0.1:1",
      }),
    });
    const { repos } = provider.deps;
    console.log(`provider on ${provider.config.issuer}, SQLite at ${dir}`);

    // The worker runs this same file, so it registers the TypeScript loader first.
    const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(bootstrap, { eval: true, workerData: { issuer: provider.config.issuer, flows } });
    worker.on("message", (message: Question | { endpointUrl: string }) => {
      if ("endpointUrl" in message) {
        void (async () => {
          await repos.clients.create(cibaClient("bench-ping", "ping", { notificationEndpoint: message.endpointUrl }));
          await repos.clients.create(cibaClient("bench-push", "push", { notificationEndpoint: message.endpointUrl }));
          worker.postMessage({ ready: true });
        })();
        return;
      }
      void (async () => {
        const request = await repos.authRequests.findByAuthReqId(message.authReqId);
        const value = message.ask === "requestId" ? (request?.id ?? null) : Boolean(request?.lastPolledAt);
        worker.postMessage({ seq: message.seq, value } satisfies Reply);
      })();
    });
    await new Promise<void>((resolve, reject) => {
      worker.once("error", reject);
      worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the benchmark worker exited with ${code}`))));
    });
  } finally {
    await provider?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  await providerSide(Number(process.argv[2] ?? 250), process.argv[3]);
} else {
  const { issuer, flows } = workerData as { issuer: string; flows: number };
  await outsideWorld(issuer, flows);
}
