// node-oidc-provider (panva), the certified reference OP in JavaScript, set up for CIBA poll and ping
// with its default in-memory adapter, as the benchmark's reference. Run by targets/reference.ts in a
// process of its own. Environment: BENCH_PORT, BENCH_PING_URL (the ping client's endpoint, http).
//
// What differs from a stock set-up, and why:
//  - The memory adapter's LRU is created with room for 1,000,000 entries instead of 1,000: with the
//    default, it forgets pending requests after a couple of thousand and could not hold 10,000.
//  - Notification endpoints must be https in node-oidc-provider's client schema and its fetch refuses
//    loopback addresses (SSRF protection); its documented `fetch` hook sends the ping to the same
//    loopback receiver over http instead, as our provider's demo profile does.
//  - POST /bench/approve (auth_req_id) is the Authentication Device: it records a grant for the
//    request's scope and calls provider.backchannelResult(), which pings ping clients (CIBA Core §10.2).
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import Provider, { type Configuration } from "oidc-provider";
// Deep imports of the adapter and LRU the package uses by default (no `exports` map restricts them).
import MemoryAdapter from "oidc-provider/lib/adapters/memory_adapter.js";
import LRU from "oidc-provider/lib/helpers/lru.js";
import { serverEnv } from "../env";

const { BENCH_PORT: port, BENCH_PING_URL } = serverEnv();
const pingUrl = new URL(BENCH_PING_URL);
const issuer = `http://127.0.0.1:${port}`;
const CIBA = "urn:openid:params:grant-type:ciba";

const users: Record<string, { sub: string; name: string }> = {
  "alice@example.com": { sub: "alice", name: "Alice Martin" },
  "bob@example.com": { sub: "bob", name: "Bob Okafor" },
};
const bySub = new Map(Object.entries(users).map(([email, user]) => [user.sub, { ...user, email }]));

const store = new LRU({ maxSize: 1_000_000 });
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "bench-rs256", alg: "RS256", use: "sig" };

const configuration: Configuration = {
  adapter: (model: string) => new MemoryAdapter(model, store),
  jwks: { keys: [signingKey] },
  clients: [
    {
      client_id: "bench-poll",
      client_secret: "bench-secret",
      grant_types: [CIBA],
      response_types: [],
      redirect_uris: [],
      backchannel_token_delivery_mode: "poll",
    },
    {
      client_id: "bench-ping",
      client_secret: "bench-secret",
      grant_types: [CIBA],
      response_types: [],
      redirect_uris: [],
      backchannel_token_delivery_mode: "ping",
      backchannel_client_notification_endpoint: `https://${pingUrl.host}${pingUrl.pathname}`,
    },
  ],
  findAccount: (_ctx, sub) => {
    const user = bySub.get(sub);
    return user && { accountId: sub, claims: () => ({ sub, name: user.name, email: user.email }) };
  },
  claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
  features: {
    devInteractions: { enabled: false },
    ciba: {
      enabled: true,
      deliveryModes: ["poll", "ping"],
      processLoginHint: (_ctx, loginHint) => (loginHint ? users[loginHint]?.sub : undefined),
      processLoginHintToken: () => undefined,
      validateRequestContext: () => undefined,
      verifyUserCode: () => undefined,
      // Nobody is signed in on a device during the benchmark: nothing to reach (as for ours).
      triggerAuthenticationDevice: () => undefined,
    },
  },
  ttl: { BackchannelAuthenticationRequest: 300 },
  fetch: (url, init) => {
    const target = new URL(url instanceof Request ? url.url : url);
    target.protocol = "http:";
    const { dispatcher: _ssrfGuard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return globalThis.fetch(target, rest);
  },
};

const provider = new Provider(issuer, configuration);
const handle = provider.callback();

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/bench/approve") return void handle(req, res);
  void (async () => {
    const authReqId = (await readForm(req)).get("auth_req_id") ?? "";
    const request = await provider.BackchannelAuthenticationRequest.find(authReqId);
    if (!request || request.grantId) return void res.writeHead(404).end();
    const grant = new provider.Grant({ clientId: request.clientId, accountId: request.accountId });
    grant.addOIDCScope(request.scope ?? "openid");
    await grant.save();
    await provider.backchannelResult(request, grant, { acr: "urn:ciba:acr:possession", amr: ["swk"], authTime: Math.floor(Date.now() / 1000) });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "approved" }));
  })().catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(port, "127.0.0.1");
