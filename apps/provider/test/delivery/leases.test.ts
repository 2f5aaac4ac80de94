// Several provider instances on one database: each delivery attempt is made by exactly one of them.
// Every notification below fails once (503) and is retried while two instances both look for due
// retries; each endpoint still gets exactly one retry per notification.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../src/env";
import { type RunningProvider, startProvider } from "../../src/start";
import { notificationToken, notifiedClient, settledDeliveries } from "../support/deliveries";
import { ALICE, deviceDecide, deviceLogin, pendingRequestId, startRequest } from "../support/flows";
import { type Receiver, refuseFirstAttempts, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";

const NOTIFICATIONS = 20;
const deliveryEnv = { DELIVERY_RETRY_BASE_MS: "150", DELIVERY_POLL_INTERVAL_MS: "20" };

let first: TestProvider;
let second: TestProvider;
let secondRunning: RunningProvider;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  refuseFirstAttempts(receiver);
  first = await startTestProvider({ env: deliveryEnv });
  secondRunning = await startProvider({
    env: readEnv({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: first.config.databaseUrl,
      CONSOLE_URL: "http://127.0.0.1:1",
      ...deliveryEnv,
    }),
  });
  second = { ...secondRunning, issuer: secondRunning.config.issuer, restart: () => Promise.reject(new Error("not restartable")) };
  await notifiedClient(first, "rp-ping", "ping", receiver.url("/ping"));
});
afterAll(async () => {
  await secondRunning.close();
  await first.close();
  await receiver.close();
});

describe("two provider instances on one database", () => {
  it("retry each notification exactly once between them", async () => {
    const instances = [first, second];
    const devices = await Promise.all(instances.map((instance) => deviceLogin(instance, ALICE)));
    const ids: string[] = [];
    for (let i = 0; i < NOTIFICATIONS; i++) {
      // Requests start and are approved on alternate instances, so both hold first attempts and timers.
      const instance = instances[i % 2]!;
      const started = await startRequest(instance, ALICE, "rp-ping", { client_notification_token: notificationToken() });
      ids.push(started.auth_req_id);
      const decided = await deviceDecide(instance, devices[i % 2]!, await pendingRequestId(instance, devices[i % 2]!), "approve", {});
      expect(decided.status).toBe(200);
    }

    for (const id of ids) {
      const [delivery] = await settledDeliveries(first, id, "rp-ping");
      expect(delivery!.log.map((a) => [a.attempt, a.http_status])).toEqual([
        [1, 503],
        [2, 204],
      ]);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const id of ids) {
      expect(receiver.on("/ping").filter((r) => (r.body as { auth_req_id: string }).auth_req_id === id)).toHaveLength(2);
    }
    expect(receiver.on("/ping")).toHaveLength(2 * NOTIFICATIONS);
  });

  it("take over a delivery whose instance died during an attempt, but only once its lease has run out", async () => {
    const { repos } = first.deps;
    const lease = async (until: Date) => {
      const started = await startRequest(first, ALICE, "rp-ping", { client_notification_token: notificationToken() });
      const request = await repos.authRequests.findByAuthReqId(started.auth_req_id);
      await repos.deliveries.create({
        id: `orphan-${request!.id}`,
        authRequestId: request!.id,
        kind: "ping",
        endpoint: receiver.url("/orphan"),
        payload: JSON.stringify({ auth_req_id: started.auth_req_id }),
        nextAttemptAt: new Date(Date.now() - 60_000),
        leaseOwner: "an-instance-that-was-killed",
        leaseUntil: until,
        createdAt: new Date(Date.now() - 60_000),
      });
      return started.auth_req_id;
    };
    const expired = await lease(new Date(Date.now() - 1000));
    const live = await lease(new Date(Date.now() + 60_000));

    const [delivery] = await settledDeliveries(first, expired, "rp-ping");
    expect(delivery!.log.map((a) => [a.attempt, a.http_status])).toEqual([
      [1, 503],
      [2, 204],
    ]);
    const untouched = (await repos.deliveries.listForAuthRequest((await repos.authRequests.findByAuthReqId(live))!.id))[0]!;
    expect(untouched).toMatchObject({ status: "pending", attempts: 0, leaseOwner: "an-instance-that-was-killed" });
    expect(receiver.on("/orphan").filter((r) => (r.body as { auth_req_id: string }).auth_req_id === live)).toHaveLength(0);
  });
});
