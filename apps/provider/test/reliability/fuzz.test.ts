// Fuzzing: thousands of generated malformed requests across every endpoint (fuzz-cases.ts) against a
// provider process, plus requests only a raw socket can send. Bad input is always the client's error:
// no answer may be a 5xx, the process must survive, log no error, and its memory must stay put.
import { connect } from "node:net";
import { DEMO_CLIENT_SECRET, DEMO_PIN } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadyChildProvider, residentMiB, startChildProvider } from "../support/child-provider";
import { fuzzSeed } from "../support/env";
import { basic, getJson, postForm, postJson } from "../support/http";
import { freshDatabase } from "../support/provider";
import { type Credentials, type FuzzCase, generateCases, rawRequests } from "./fuzz-cases";

const CASES = 5000;
const WARM_UP = 2000;
const CONCURRENCY = 16;
/** Generous: the heap may settle higher after warm-up, but a leak per request would pass this quickly. */
const RSS_GROWTH_LIMIT_MIB = 128;

const database = freshDatabase();
let provider: ReadyChildProvider;
let credentials: Credentials;

async function establishCredentials(base: string): Promise<Credentials> {
  const client = { authorization: basic("demo-poll", DEMO_CLIENT_SECRET) };
  const login = await postJson<{ device_token: string }>(`${base}/device/login`, { login_hint: "alice@example.com", pin: DEMO_PIN });
  const device = { authorization: `Bearer ${login.body.device_token}` };
  const start = (binding: string) =>
    postForm<{ auth_req_id: string }>(`${base}/backchannel-authentication`, { scope: "openid", login_hint: "alice@example.com", binding_message: binding }, client);

  const approved = await start("TOKENS");
  const [first] = (await getJson<Array<{ id: string }>>(`${base}/device/requests`, device)).body;
  await postJson(`${base}/device/requests/${first!.id}/approve`, { pin: DEMO_PIN }, device);
  const tokens = await postForm<{ access_token: string; refresh_token: string; id_token: string }>(
    `${base}/token`,
    { grant_type: CIBA_GRANT_TYPE, auth_req_id: approved.body.auth_req_id },
    client,
  );
  const pending = await start("PENDING");
  const [open] = (await getJson<Array<{ id: string }>>(`${base}/device/requests`, device)).body;
  const registered = await postJson<{ client_id: string; registration_access_token: string }>(`${base}/register`, {
    client_name: "Fuzzed",
    grant_types: [CIBA_GRANT_TYPE],
    backchannel_token_delivery_mode: "poll",
  });
  expect([login.status, approved.status, tokens.status, pending.status, registered.status]).toEqual([200, 200, 200, 200, 201]);
  return {
    deviceToken: login.body.device_token,
    authReqId: pending.body.auth_req_id,
    deviceRequestId: open!.id,
    accessToken: tokens.body.access_token,
    refreshToken: tokens.body.refresh_token,
    idToken: tokens.body.id_token,
    registeredClientId: registered.body.client_id,
    registrationAccessToken: registered.body.registration_access_token,
  };
}

interface Outcome {
  statuses: Map<number, number>;
  serverErrors: string[];
  /** Connections the server closed instead of answering (Node's parser refusing what it cannot parse). */
  closed: string[];
}

async function send(base: string, cases: FuzzCase[]): Promise<Outcome> {
  const outcome: Outcome = { statuses: new Map(), serverErrors: [], closed: [] };
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      try {
        const response = await fetch(`${base}${c.path}`, { method: c.method, headers: c.headers, body: c.body, redirect: "manual" });
        await response.arrayBuffer();
        outcome.statuses.set(response.status, (outcome.statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) outcome.serverErrors.push(`${response.status} ${c.method} ${c.path.slice(0, 80)} (${c.label})`);
      } catch (error) {
        outcome.closed.push(`${c.label}: ${((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcome;
}

/** Sends raw bytes and returns the status line of the answer (or "closed"). */
function sendRaw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(answer.split("\r\n")[0] || "closed"));
    socket.write(text, "latin1");
    setTimeout(() => socket.end(), 300).unref();
  });
}

beforeAll(async () => {
  provider = await startChildProvider({ DATABASE_URL: database.url });
  credentials = await establishCredentials(provider.baseUrl);
});
afterAll(async () => {
  await provider?.stop("SIGKILL");
  await database.dispose();
});

describe("fuzzing every endpoint with malformed requests", () => {
  it(`answers ${CASES} generated malformed requests without a 5xx, a crash, an error log or a memory leak`, async () => {
    const pid = provider.process.pid!;
    await send(provider.baseUrl, generateCases(fuzzSeed + 1, WARM_UP, credentials));
    const before = residentMiB(pid);

    const started = performance.now();
    const outcome = await send(provider.baseUrl, generateCases(fuzzSeed, CASES, credentials));
    const seconds = (performance.now() - started) / 1000;
    const after = residentMiB(pid);

    const byStatus = [...outcome.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
    console.log(
      `fuzz seed ${fuzzSeed}: ${CASES} requests in ${seconds.toFixed(1)} s (${Math.round(CASES / seconds)}/s); ${byStatus}; ` +
        `closed by the HTTP parser: ${outcome.closed.length}; RSS ${before.toFixed(1)} MiB → ${after.toFixed(1)} MiB (${(after - before).toFixed(1)} MiB)`,
    );
    expect(outcome.serverErrors).toEqual([]);
    // Only requests with headers beyond Node's 16 KiB limit may be cut off instead of answered.
    expect(outcome.closed.filter((c) => !/broken JWT in (dpop|authorization)/.test(c))).toEqual([]);
    expect(after - before).toBeLessThan(RSS_GROWTH_LIMIT_MIB);

    const raw = await Promise.all(rawRequests.map((text) => sendRaw(provider.port, text)));
    for (const statusLine of raw) expect(statusLine).toMatch(/^(HTTP\/1\.1 4\d\d |closed$)/);

    expect(provider.process.exitCode).toBeNull();
    expect((await getJson(`${provider.baseUrl}/healthz`)).body).toEqual({ status: "ok" });
    expect(provider.output()).not.toMatch(/ ERROR /);
  });
});
