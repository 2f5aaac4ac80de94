// Durable delivery: a provider process killed with SIGKILL while a delivery waits for its retry makes
// that delivery after it is started again, and a delivery the endpoint already acknowledged is not
// sent again. The provider runs as a real child process (`node --import tsx src/server.ts`) on a
// database of its own (a SQLite file, or a PostgreSQL schema when DATABASE_URL names a server).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createDatabase, createRepositories, cibaClient, DEMO_CLIENT_SECRET, DEMO_PIN } from "@ciba/db";
import type { DeliveryLogResponse } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, notificationToken } from "../support/deliveries";
import { inheritedEnv } from "../support/env";
import { basic, getJson, postForm, postJson } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { freshDatabase } from "../support/provider";

const providerRoot = path.resolve(import.meta.dirname, "../..");

interface Child {
  process: ChildProcess;
  issuer: string;
}

/** Starts `src/server.ts` in a child process and resolves with its issuer once it is ready. */
function startChild(databaseUrl: string): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: providerRoot,
    env: {
      ...inheritedEnv(),
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: databaseUrl,
      CONSOLE_URL: "http://127.0.0.1:1",
      CIBA_POLL_INTERVAL: "1",
      // Long enough between attempts to kill the process in between; retries are picked up quickly.
      DELIVERY_RETRY_BASE_MS: "3000",
      DELIVERY_POLL_INTERVAL_MS: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const ready = /CIBA OpenID Provider ready at (http:\/\/[^\s]+)/.exec(output);
      if (ready) resolve({ process: child, issuer: ready[1]! });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the provider exited (${code}) before it was ready:\n${output}`)));
  });
}

function stop(child: Child, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
    child.process.once("exit", () => resolve());
    child.process.kill(signal);
  });
}

async function approvedPing(issuer: string, clientId: string): Promise<string> {
  const ack = await postForm<{ auth_req_id: string }>(
    `${issuer}/backchannel-authentication`,
    { scope: "openid", login_hint: "alice@example.com", client_notification_token: notificationToken() },
    { authorization: basic(clientId, DEMO_CLIENT_SECRET) },
  );
  expect(ack.status).toBe(200);
  const login = await postJson<{ device_token: string }>(`${issuer}/device/login`, { login_hint: "alice@example.com", pin: DEMO_PIN });
  const device = { authorization: `Bearer ${login.body.device_token}` };
  const pending = await getJson<Array<{ id: string }>>(`${issuer}/device/requests`, device);
  const approved = await postJson(`${issuer}/device/requests/${pending.body.at(-1)!.id}/approve`, {}, device);
  expect(approved.status).toBe(200);
  return ack.body.auth_req_id;
}

async function deliveries(issuer: string, authReqId: string, clientId: string) {
  const log = await getJson<DeliveryLogResponse>(`${issuer}/ciba/deliveries?auth_req_id=${authReqId}`, {
    authorization: basic(clientId, DEMO_CLIENT_SECRET),
  });
  expect(log.status).toBe(200);
  return log.body.deliveries;
}

let receiver: Receiver;
const database = freshDatabase();
const children: Child[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await Promise.all(children.map((child) => stop(child, "SIGKILL")));
  await receiver.close();
  await database.dispose();
});

describe("delivery across a provider crash", () => {
  it("resumes a retrying delivery after SIGKILL and restart, and does not repeat an acknowledged one", async () => {
    const first = await startChild(database.url);
    children.push(first);

    // Register the two ping clients in the database the child created.
    const db = createDatabase(database.url);
    try {
      const repos = createRepositories(db);
      await repos.clients.create(cibaClient("rp-acked", "ping", { notificationEndpoint: receiver.url("/acked") }));
      await repos.clients.create(cibaClient("rp-retry", "ping", { notificationEndpoint: receiver.url("/retry") }));
    } finally {
      await db.close();
    }
    receiver.answerOn("/retry", { status: 503 }, { status: 204 });

    const acked = await approvedPing(first.issuer, "rp-acked");
    await eventually(async () => expect(await deliveries(first.issuer, acked, "rp-acked")).toMatchObject([{ status: "delivered" }]));

    const retrying = await approvedPing(first.issuer, "rp-retry");
    await eventually(async () =>
      expect(await deliveries(first.issuer, retrying, "rp-retry")).toMatchObject([{ status: "pending", attempts: 1 }]),
    );
    await stop(first, "SIGKILL");
    expect(receiver.on("/retry")).toHaveLength(1);
    expect(receiver.on("/acked")).toHaveLength(1);

    const second = await startChild(database.url);
    children.push(second);
    await receiver.waitFor(2, "/retry");
    const [resumed] = await eventually(async () => {
      const list = await deliveries(second.issuer, retrying, "rp-retry");
      expect(list).toMatchObject([{ status: "delivered" }]);
      return list;
    });
    expect(resumed!.log.map((a) => [a.attempt, a.http_status, a.outcome])).toEqual([
      [1, 503, "retrying"],
      [2, 204, "delivered"],
    ]);
    expect(receiver.on("/retry")[1]!.raw).toBe(JSON.stringify({ auth_req_id: retrying }));

    // The acknowledged delivery stayed done: not sent again by the restarted provider.
    expect(receiver.on("/acked")).toHaveLength(1);
    expect(await deliveries(second.issuer, acked, "rp-acked")).toMatchObject([{ status: "delivered", attempts: 1 }]);
    await stop(second, "SIGTERM");
  });
});
