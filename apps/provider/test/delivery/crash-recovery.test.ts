// Durable delivery: a provider process killed with SIGKILL while a delivery waits for its retry makes
// that delivery after it is started again, and a delivery the endpoint already acknowledged is not
// sent again. The provider runs as a real child process (`node --import tsx src/server.ts`) on a
// database of its own (a SQLite file, or a PostgreSQL schema when DATABASE_URL names a server).
import { createDatabase, createRepositories, cibaClient, DEMO_CLIENT_SECRET, DEMO_PIN } from "@ciba/db";
import type { DeliveryLogResponse } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadyChildProvider, startChildProvider } from "../support/child-provider";
import { eventually, notificationToken } from "../support/deliveries";
import { basic, getJson, postForm, postJson } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { freshDatabase } from "../support/provider";

/** A provider process on the test's database whose ping retries wait long enough to kill it in between. */
const startChild = (databaseUrl: string) =>
  startChildProvider({
    DATABASE_URL: databaseUrl,
    CIBA_POLL_INTERVAL: "1",
    DELIVERY_RETRY_BASE_MS: "3000",
    DELIVERY_POLL_INTERVAL_MS: "100",
  });

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
const children: ReadyChildProvider[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await Promise.all(children.map((child) => child.stop("SIGKILL")));
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

    const acked = await approvedPing(first.baseUrl, "rp-acked");
    await eventually(async () => expect(await deliveries(first.baseUrl, acked, "rp-acked")).toMatchObject([{ status: "delivered" }]));

    const retrying = await approvedPing(first.baseUrl, "rp-retry");
    await eventually(async () =>
      expect(await deliveries(first.baseUrl, retrying, "rp-retry")).toMatchObject([{ status: "pending", attempts: 1 }]),
    );
    await first.stop("SIGKILL");
    expect(receiver.on("/retry")).toHaveLength(1);
    expect(receiver.on("/acked")).toHaveLength(1);

    const second = await startChild(database.url);
    children.push(second);
    await receiver.waitFor(2, "/retry");
    const [resumed] = await eventually(async () => {
      const list = await deliveries(second.baseUrl, retrying, "rp-retry");
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
    expect(await deliveries(second.baseUrl, acked, "rp-acked")).toMatchObject([{ status: "delivered", attempts: 1 }]);
    await second.stop("SIGTERM");
  });
});
