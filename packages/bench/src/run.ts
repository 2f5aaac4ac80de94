// npm run bench: our provider (SQLite, and PostgreSQL when a server answers) against node-oidc-provider
// (in-memory) and a bare node:http server (the ceiling), each in a process of its own on this machine,
// one after another, with the load generator in this process. For each it measures, in this order:
//   1. 10,000 pending requests created (32 at a time; also the warm-up), then resident memory;
//   2. pending-poll token requests/s: round-robin over those 10,000, so every poll is legitimate
//      (each request is polled far less often than its 1 s interval) and the answer is
//      authorization_pending — checked, as every answer is;
//   3. backchannel authentication requests/s;
//   4. approve→ping, approve→token and (ours) approve→long-poll latency, flow after flow.
// Options: --seconds 5 --warm-up 1 --connections 32 --pending 10000 --flows 200 --only <name,...>
//          --json <file>. BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test),
//          BENCH_DATA_DIR (default the system's temporary folder), BENCH_PORT_BASE (pin ports).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { benchEnv } from "./env";
import { basicAuth, formType, inParallel } from "./http-client";
import { approveToLongPoll, approveToPing, approveToToken, measureLatency } from "./measure/latency";
import { backchannelBody, cibaClient, tokenBody } from "./measure/flows";
import { measureThroughput } from "./measure/throughput";
import { freePort, residentMiB } from "./processes";
import { startPingReceiver } from "./receiver";
import { ratiosTable, resultsTable, type TargetResult, targetLines } from "./report";
import { bareCeiling } from "./targets/ceiling";
import { ourProvider } from "./targets/ours";
import { referenceProvider } from "./targets/reference";
import type { Target } from "./targets/target";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    "warm-up": { type: "string", default: "1" },
    connections: { type: "string", default: "32" },
    pending: { type: "string", default: "10000" },
    flows: { type: "string", default: "200" },
    only: { type: "string" },
    json: { type: "string" },
  },
});
const settings = {
  seconds: Number(args.seconds),
  warmUpSeconds: Number(args["warm-up"]),
  connections: Number(args.connections),
  pending: Number(args.pending),
  flows: Number(args.flows),
  flowWarmUp: 20,
};

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function benchmark(target: Target, pingUrl: string, dataDir: string, receiver: Awaited<ReturnType<typeof startPingReceiver>>): Promise<TargetResult> {
  const started = Date.now();
  const running = await target.start({ pingUrl, dataDir });
  const ciba = cibaClient(running, settings.connections);
  try {
    const log = (what: string) => console.error(`  ${target.name}: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    log("started");
    const ids = await inParallel(Array.from({ length: settings.pending }), settings.connections, () =>
      ciba.startRequest(running.poll, running.loadUser),
    );
    // Let the last writes and timers settle before reading the resident set.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const resident = await residentMiB(running.pid);
    log(`${ids.length} pending, ${resident.toFixed(0)} MiB`);

    const auth = { authorization: basicAuth(running.poll.id, running.poll.secret), "content-type": formType };
    let cursor = 0;
    const pendingPoll = await measureThroughput({
      url: `${running.baseUrl}${running.tokenPath}`,
      connections: settings.connections,
      warmUpSeconds: settings.warmUpSeconds,
      seconds: settings.seconds,
      headers: auth,
      body: () => tokenBody(ids[cursor++ % ids.length]!),
      expected: (status, body) => status === 400 && body.includes('"authorization_pending"'),
    });
    log(`pending poll ${pendingPoll.perSecond.toFixed(0)}/s`);

    const baBody = backchannelBody(running.loadUser);
    const backchannel = await measureThroughput({
      url: `${running.baseUrl}${running.backchannelPath}`,
      connections: settings.connections,
      warmUpSeconds: settings.warmUpSeconds,
      seconds: settings.seconds,
      headers: auth,
      body: () => baBody,
      expected: (status) => status === 200,
    });
    log(`backchannel ${backchannel.perSecond.toFixed(0)}/s`);

    const { flows, flowWarmUp } = settings;
    const ping = await measureLatency(flowWarmUp, flows, () => approveToPing(running, ciba, receiver));
    const token = await measureLatency(flowWarmUp, flows, () => approveToToken(running, ciba));
    const longPoll = running.longPolling ? await measureLatency(flowWarmUp, flows, () => approveToLongPoll(running, ciba)) : null;
    log("latency done");
    return { name: target.name, role: target.role, backchannel, pendingPoll, ping, token, longPoll, residentMiB: resident };
  } finally {
    ciba.http.close();
    await running.stop();
  }
}

const env = benchEnv();
const postgresUrl = env.BENCH_POSTGRES_URL;
const targets: Target[] = [
  ourProvider("ours (SQLite)", "sqlite"),
  ...((await postgresAnswers(postgresUrl)) ? [ourProvider("ours (PostgreSQL)", postgresUrl)] : []),
  referenceProvider,
  bareCeiling,
].filter((t) => !args.only || args.only.split(",").some((word) => `${t.name} ${t.role}`.toLowerCase().includes(word.trim().toLowerCase())));

const dataDir = mkdtempSync(path.join(env.BENCH_DATA_DIR ?? tmpdir(), "ciba-bench-"));
const receiver = await startPingReceiver(await freePort());
const results: TargetResult[] = [];
const began = Date.now();
try {
  console.error(`benchmarking ${targets.map((t) => t.name).join(", ")}`);
  for (const target of targets) results.push(await benchmark(target, receiver.url, dataDir, receiver));
} finally {
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
console.log(
  `\nCIBA benchmark, ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} cores (${cpu});` +
    ` ${settings.connections} connections, ${settings.seconds} s after ${settings.warmUpSeconds} s warm-up; ${settings.pending.toLocaleString("en-US")} pending;` +
    ` ${settings.flows} flows per latency after ${settings.flowWarmUp}; ${((Date.now() - began) / 1000).toFixed(0)} s in all\n`,
);
console.log(resultsTable(results, settings.pending));
console.log("");
console.log(ratiosTable(results));
console.log("");
for (const line of targetLines(results)) console.log(line);
if (args.json) writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), settings, results }, null, 2));
