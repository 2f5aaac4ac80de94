// The ceiling: a bare node:http server that answers the same requests as cheaply as HTTP allows —
// it reads the body, keeps requests in a Map, and sends the smallest honest answer, with no client
// authentication, validation, storage or signing. Environment: BENCH_PORT, BENCH_PING_URL.
import { randomBytes } from "node:crypto";
import { Agent, createServer, type IncomingMessage, request } from "node:http";
import { serverEnv } from "../env";

const { BENCH_PORT: port, BENCH_PING_URL } = serverEnv();
const pingUrl = new URL(BENCH_PING_URL);
const pingAgent = new Agent({ keepAlive: true });

interface Pending {
  clientId: string;
  approved: boolean;
}
const requests = new Map<string, Pending>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function clientOf(req: IncomingMessage): string {
  const basic = req.headers.authorization?.slice("Basic ".length) ?? "";
  return Buffer.from(basic, "base64").toString("utf8").split(":")[0] ?? "";
}

function ping(authReqId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ auth_req_id: authReqId });
    const req = request(
      { host: pingUrl.hostname, port: pingUrl.port, path: pingUrl.pathname, method: "POST", agent: pingAgent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const json = (status: number, body: unknown) => [status, { "content-type": "application/json", "cache-control": "no-store" }, JSON.stringify(body)] as const;

async function answer(req: IncomingMessage) {
  const body = new URLSearchParams(await readBody(req));
  switch (req.url) {
    case "/healthz":
      return json(200, { status: "ok" });
    case "/backchannel": {
      const authReqId = randomBytes(32).toString("base64url");
      requests.set(authReqId, { clientId: clientOf(req), approved: false });
      return json(200, { auth_req_id: authReqId, expires_in: 300, interval: 1 });
    }
    case "/token": {
      const pending = requests.get(body.get("auth_req_id") ?? "");
      if (!pending) return json(400, { error: "invalid_grant" });
      if (!pending.approved) return json(400, { error: "authorization_pending" });
      requests.delete(body.get("auth_req_id")!);
      return json(200, { access_token: randomBytes(32).toString("base64url"), token_type: "Bearer", expires_in: 3600, id_token: "-" });
    }
    case "/approve": {
      const authReqId = body.get("auth_req_id") ?? "";
      const pending = requests.get(authReqId);
      if (!pending) return json(404, {});
      pending.approved = true;
      if (pending.clientId === "bench-ping") await ping(authReqId);
      return json(200, { status: "approved" });
    }
    default:
      return json(404, {});
  }
}

createServer((req, res) => {
  answer(req).then(
    ([status, headers, body]) => res.writeHead(status, headers).end(body),
    () => res.writeHead(500).end(),
  );
}).listen(port, "127.0.0.1");
