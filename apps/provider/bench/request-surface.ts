// Benchmark (not a test): what the richer request surface costs per request, against the plain path.
// The real provider runs in this process on a fresh SQLite file; requests go over loopback HTTP one
// after another. Client-side signing (assertions, request objects, DPoP proofs) happens before each
// timed request, so the figures are the provider's work plus the HTTP round trip.
//
//   npx tsx bench/request-surface.ts          300 requests per case
//   npx tsx bench/request-surface.ts 1000     1000 requests per case
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { readEnv } from "../src/env";
import { startProvider } from "../src/start";

const N = Number(process.argv[2] ?? 300);
const WARM_UP = 20;

const dir = mkdtempSync(path.join(tmpdir(), "bench-surface-"));
const provider = await startProvider({
  env: readEnv({ NODE_ENV: "test", LOG_LEVEL: "silent", HOST: "127.0.0.1", PORT: "0", DATABASE_URL: `file:${path.join(dir, "bench.sqlite")}` }),
});
const issuer = provider.config.issuer;
const now = () => Math.floor(Date.now() / 1000);

const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "ES256", use: "sig" };
const register = async (metadata: Record<string, unknown>) =>
  (await (
    await fetch(`${issuer}/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(metadata) })
  ).json()) as { client_id: string; client_secret?: string };
const pkjwt = await register({
  grant_types: [CIBA_GRANT_TYPE],
  backchannel_token_delivery_mode: "poll",
  token_endpoint_auth_method: "private_key_jwt",
  jwks: { keys: [jwk] },
});

const sign = (claims: Record<string, unknown>, typ?: string) =>
  new SignJWT({ iat: now(), jti: randomUUID(), ...claims }).setProtectedHeader({ alg: "ES256", kid: "bench", ...(typ ? { typ } : {}) }).sign(privateKey);
const assertion = () => sign({ iss: pkjwt.client_id, sub: pkjwt.client_id, aud: issuer, exp: now() + 60 });
const form = (params: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(params).toString(),
});
const basic = `Basic ${Buffer.from("demo-poll:demo-secret").toString("base64")}`;

// A DPoP-bound and a bearer access token for the userinfo cases.
const dpopKeys = await generateKeyPair("ES256", { extractable: true });
const dpopJwk = await exportJWK(dpopKeys.publicKey);
const proof = (htm: string, htu: string, extra: Record<string, unknown> = {}) =>
  new SignJWT({ jti: randomUUID(), htm, htu, iat: now(), ...extra })
    .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: dpopJwk })
    .sign(dpopKeys.privateKey);
async function approvedToken(dpop: boolean): Promise<string> {
  const ba = (await (await fetch(`${issuer}/backchannel-authentication`, form({ scope: "openid", login_hint: "alice@example.com" }, { authorization: basic }))).json()) as {
    auth_req_id: string;
  };
  await fetch(`${issuer}/ciba/automated-approval`, form({ auth_req_id: ba.auth_req_id, action: "allow" }));
  const headers: Record<string, string> = { authorization: basic };
  if (dpop) headers.dpop = await proof("POST", `${issuer}/token`);
  const tokens = (await (await fetch(`${issuer}/token`, form({ grant_type: CIBA_GRANT_TYPE, auth_req_id: ba.auth_req_id }, headers))).json()) as {
    access_token: string;
  };
  return tokens.access_token;
}
const bearerToken = await approvedToken(false);
const dpopToken = await approvedToken(true);
const ath = (await import("../src/dpop/proof")).accessTokenHash(dpopToken);

interface Case {
  name: string;
  /** Builds the request (untimed), then returns what to send. */
  prepare(): Promise<[string, RequestInit]>;
  expect: number;
}

const cases: Case[] = [
  {
    name: "BA, client_secret_basic, form",
    prepare: () => Promise.resolve([`${issuer}/backchannel-authentication`, form({ scope: "openid", login_hint: "alice@example.com" }, { authorization: basic })]),
    expect: 200,
  },
  {
    name: "BA, private_key_jwt, form",
    prepare: async () => [
      `${issuer}/backchannel-authentication`,
      form({ scope: "openid", login_hint: "alice@example.com", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: await assertion() }),
    ],
    expect: 200,
  },
  {
    name: "BA, private_key_jwt, signed request",
    prepare: async () => [
      `${issuer}/backchannel-authentication`,
      form({
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await assertion(),
        request: await sign({ iss: pkjwt.client_id, aud: issuer, nbf: now(), exp: now() + 300, scope: "openid", login_hint: "alice@example.com" }),
      }),
    ],
    expect: 200,
  },
  { name: "userinfo, Bearer", prepare: () => Promise.resolve([`${issuer}/userinfo`, { headers: { authorization: `Bearer ${bearerToken}` } }]), expect: 200 },
  {
    name: "userinfo, DPoP proof",
    prepare: async () => [`${issuer}/userinfo`, { headers: { authorization: `DPoP ${dpopToken}`, dpop: await proof("GET", `${issuer}/userinfo`, { ath }) } }],
    expect: 200,
  },
  {
    name: "register a poll client",
    prepare: () =>
      Promise.resolve([
        `${issuer}/register`,
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ backchannel_token_delivery_mode: "poll" }) },
      ]),
    expect: 201,
  },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

console.log(`${N} sequential requests per case (after ${WARM_UP} warm-up), provider ${issuer} on SQLite\n`);
console.log(`${"case".padEnd(40)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"mean ms".padStart(8)}`);
try {
  for (const c of cases) {
    const samples: number[] = [];
    for (let i = 0; i < WARM_UP + N; i++) {
      const [target, init] = await c.prepare();
      const started = performance.now();
      const response = await fetch(target, init);
      await response.arrayBuffer();
      const ms = performance.now() - started;
      if (response.status !== c.expect) throw new Error(`${c.name}: HTTP ${response.status}`);
      if (i >= WARM_UP) samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    console.log(`${c.name.padEnd(40)} ${percentile(samples, 50).toFixed(2).padStart(8)} ${percentile(samples, 99).toFixed(2).padStart(8)} ${mean.toFixed(2).padStart(8)}`);
  }
} finally {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
}
