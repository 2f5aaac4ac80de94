// Rate limits: per client address on every endpoint and per authenticated client, answered as OAuth
// error JSON with 429 and Retry-After; counted behind a trusted proxy by the forwarded address; shared by
// the instances of a cluster through Redis. Limits are low here; the defaults never trip a demo.
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromEnv } from "../../src/config";
import { readEnv } from "../../src/env";
import { startCluster } from "../support/cluster";
import { url } from "../support/flows";
import { basic, getJson, type JsonResponse, postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";
import { clusterServices } from "../support/services";

const services = await clusterServices();
const started: Array<{ close(): Promise<void> }> = [];

async function provider(env: Record<string, string>): Promise<TestProvider> {
  const running = await startTestProvider({ env });
  started.push(running);
  return running;
}
afterAll(async () => {
  for (const running of started) await running.close();
});

const discovery = (p: TestProvider, headers: Record<string, string> = {}) => getJson(url(p, "/.well-known/openid-configuration"), headers);
const tokenRequest = (p: TestProvider, clientId: string, secret = DEMO_CLIENT_SECRET) =>
  postForm(url(p, "/token"), { grant_type: CIBA_GRANT_TYPE, auth_req_id: "unknown" }, { authorization: basic(clientId, secret) });

function expectTooMany(response: JsonResponse, who: "address" | "client", windowSeconds: number) {
  expect(response.status).toBe(429);
  const seconds = Number(response.headers.get("retry-after"));
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  expect(response.body).toEqual({
    error: "too_many_requests",
    error_description: `too many requests from this ${who}; retry after ${seconds} seconds`,
  });
  expect(response.headers.get("cache-control")).toBe("no-store");
}

describe("per-address rate limit", () => {
  let limited: TestProvider;
  beforeAll(async () => void (limited = await provider({ RATE_LIMIT_IP_MAX: "5", RATE_LIMIT_WINDOW_SECONDS: "60" })));

  it("answers 429 too_many_requests with Retry-After once an address has used its requests, on every endpoint", async () => {
    for (let i = 0; i < 5; i++) expect((await discovery(limited)).status).toBe(200);
    expectTooMany(await discovery(limited), "address", 60);
    expectTooMany(await tokenRequest(limited, "demo-poll"), "address", 60);
    expectTooMany(await getJson(url(limited, "/device/requests")), "address", 60);
  });

  it("lets a browser read the 429 (CORS headers are on it) and never limits the health check", async () => {
    const refused = await discovery(limited, { origin: "http://localhost:3002" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("access-control-allow-origin")).toBe("http://localhost:3002");
    expect(refused.headers.get("access-control-expose-headers")).toContain("Retry-After");
    expect((await getJson(url(limited, "/healthz"))).status).toBe(200);
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY trusts the hop, so a spoofed header does not dodge the limit", async () => {
    const direct = await provider({ RATE_LIMIT_IP_MAX: "3" });
    for (let i = 0; i < 3; i++) expect((await discovery(direct, { "x-forwarded-for": `203.0.113.${i}` })).status).toBe(200);
    expectTooMany(await discovery(direct, { "x-forwarded-for": "203.0.113.99" }), "address", 60);

    const behindProxy = await provider({ RATE_LIMIT_IP_MAX: "2", TRUST_PROXY: "loopback" });
    for (let i = 0; i < 2; i++) expect((await discovery(behindProxy, { "x-forwarded-for": "203.0.113.7" })).status).toBe(200);
    expectTooMany(await discovery(behindProxy, { "x-forwarded-for": "203.0.113.7" }), "address", 60);
    expect((await discovery(behindProxy, { "x-forwarded-for": "203.0.113.8" })).status).toBe(200);
  });
});

describe("per-address rate limit on socket.io connections", () => {
  it("counts each socket.io handshake, which Express never sees, against the same limit", async () => {
    const limited = await provider({ RATE_LIMIT_IP_MAX: "2" });
    const handshake = () => fetch(url(limited, "/socket.io/?EIO=4&transport=polling"));
    for (let i = 0; i < 2; i++) expect((await handshake()).status).toBe(200);
    const refused = await handshake();
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { code: number; message: string };
    expect(body.code).toBe(4);
    expect(body.message).toMatch(/^too_many_requests: retry after ([1-9]|[1-5]\d|60) seconds$/);
    expectTooMany(await discovery(limited), "address", 60);
  });

  it("counts handshakes behind a trusted proxy by the forwarded address, as Express does", async () => {
    const behindProxy = await provider({ RATE_LIMIT_IP_MAX: "1", TRUST_PROXY: "loopback" });
    const handshake = (from: string) => fetch(url(behindProxy, "/socket.io/?EIO=4&transport=polling"), { headers: { "x-forwarded-for": from } });
    expect((await handshake("203.0.113.20")).status).toBe(200);
    expect((await handshake("203.0.113.20")).status).toBe(403);
    expect((await handshake("203.0.113.21")).status).toBe(200);
  });
});

describe("per-client rate limit", () => {
  it("counts only authenticated requests of each client, and limits each client on its own", async () => {
    const limited = await provider({ RATE_LIMIT_CLIENT_MAX: "3", RATE_LIMIT_WINDOW_SECONDS: "30" });
    // Wrong credentials spend nothing of demo-poll's allowance.
    for (let i = 0; i < 5; i++) expect((await tokenRequest(limited, "demo-poll", "wrong-secret")).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await tokenRequest(limited, "demo-poll")).body.error).toBe("invalid_grant");
    expectTooMany(await tokenRequest(limited, "demo-poll"), "client", 30);
    const backchannel = await postForm(url(limited, "/backchannel-authentication"), { scope: "openid", login_hint: "alice@example.com" }, {
      authorization: basic("demo-poll", DEMO_CLIENT_SECRET),
    });
    expectTooMany(backchannel, "client", 30);
    expect((await tokenRequest(limited, "demo-ping")).body.error).toBe("invalid_grant");
  });
});

describe("rate limit settings", () => {
  it("default to 1200 per address and 6000 per client a minute in production, and to far more in the demo profile", () => {
    const production = configFromEnv(readEnv({ NODE_ENV: "production" }), 3000);
    expect(production.rateLimits).toEqual({ perIp: 1200, perClient: 6000, windowSeconds: 60, userCodeFailures: 5, userCodeLockSeconds: 300 });
    const demo = configFromEnv(readEnv({ NODE_ENV: "development" }), 3000);
    expect(demo.rateLimits).toEqual({ perIp: 600_000, perClient: 600_000, windowSeconds: 60, userCodeFailures: 5, userCodeLockSeconds: 300 });
    const off = configFromEnv(readEnv({ NODE_ENV: "production", RATE_LIMIT_IP_MAX: "0", RATE_LIMIT_CLIENT_MAX: "0" }), 3000);
    expect(off.rateLimits).toMatchObject({ perIp: 0, perClient: 0 });
  });

  it("refuse invalid values at start-up", () => {
    expect(() => readEnv({ RATE_LIMIT_IP_MAX: "-1" })).toThrow("RATE_LIMIT_IP_MAX: Too small: expected number to be >=0");
    expect(() => readEnv({ RATE_LIMIT_WINDOW_SECONDS: "0" })).toThrow("RATE_LIMIT_WINDOW_SECONDS");
    expect(() => readEnv({ REDIS_URL: "http://127.0.0.1:6379" })).toThrow("REDIS_URL: must be a redis:// or rediss:// URL");
    expect(() => readEnv({ REDIS_PREFIX: "a b" })).toThrow("REDIS_PREFIX");
    expect(readEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(readEnv({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
    expect(readEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).TRUST_PROXY).toBe("loopback, 10.0.0.0/8");
    expect(readEnv({}).TRUST_PROXY).toBe(false);
  });
});

describe.skipIf(services.skip !== undefined)("rate limits of instances sharing a Redis", () => {
  it("are counted once for the whole cluster", async () => {
    if (services.skip !== undefined) return;
    const cluster = await startCluster(services, { RATE_LIMIT_IP_MAX: "6", RATE_LIMIT_CLIENT_MAX: "4" });
    started.push(cluster);
    const [a, b] = cluster.instances as [TestProvider, TestProvider];
    for (let i = 0; i < 2; i++) {
      expect((await tokenRequest(a, "demo-poll")).status).toBe(400);
      expect((await tokenRequest(b, "demo-poll")).status).toBe(400);
    }
    expectTooMany(await tokenRequest(a, "demo-poll"), "client", 60);
    expect((await discovery(b)).status).toBe(200);
    expectTooMany(await discovery(a), "address", 60);
  });
});
