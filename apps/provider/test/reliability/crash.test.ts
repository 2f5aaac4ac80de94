// Provider processes killed with SIGKILL (no shutdown code runs) while requests wait for the user and
// ping deliveries wait for their retry: the surviving instance carries on, and an instance started
// again after the whole cluster died finishes everything. Nothing is lost because every state lives in
// the database; nothing is sent twice because deliveries are leased.
import { cibaClient, createDatabase, createRepositories } from "@ciba/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadyChildProvider, startChildProvider } from "../support/child-provider";
import { CLUSTER_ISSUER } from "../support/cluster";
import { deliveryLog, eventually, notificationToken, settledDeliveries } from "../support/deliveries";
import { ALICE, deviceDecide, deviceLogin, devicePending, pendingRequestId, pollToken, type Reachable, startRequest } from "../support/flows";
import { type Receiver, refuseFirstAttempts, startReceiver } from "../support/notification-receiver";
import { clusterServices, redisPrefix } from "../support/services";

const services = await clusterServices();

let receiver: Receiver;
const children: ReadyChildProvider[] = [];

const at = (child: ReadyChildProvider): Reachable => ({ issuer: child.baseUrl });

/** An approved ping request whose first notification the receiver refuses (503): it waits for its retry. */
async function retryingPing(instance: Reachable): Promise<string> {
  const { auth_req_id } = await startRequest(instance, ALICE, "rp-ping", { client_notification_token: notificationToken() });
  const device = await deviceLogin(instance, ALICE);
  expect((await deviceDecide(instance, device, await pendingRequestId(instance, device), "approve", {})).status).toBe(200);
  await eventually(async () => {
    const { body } = await deliveryLog(instance, auth_req_id, "rp-ping");
    expect(body.deliveries).toMatchObject([{ status: "pending", attempts: 1 }]);
  });
  return auth_req_id;
}

/** Waits until the ping was delivered on its second attempt, and checks nobody sent it a third time. */
async function deliveredOnRetry(instance: Reachable, authReqId: string) {
  const [delivery] = await settledDeliveries(instance, authReqId, "rp-ping");
  expect(delivery!.log.map((a) => [a.attempt, a.http_status, a.outcome])).toEqual([
    [1, 503, "retrying"],
    [2, 204, "delivered"],
  ]);
}

const pingsTo = (authReqId: string) => receiver.on("/ping").filter((r) => (r.body as { auth_req_id: string }).auth_req_id === authReqId);

describe.skipIf(services.skip !== undefined)("provider instances killed with SIGKILL", () => {
  beforeAll(async () => {
    receiver = await startReceiver();
    refuseFirstAttempts(receiver);
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop("SIGKILL")));
    await receiver?.close();
    if (services.skip === undefined) await services.dispose();
  });

  it("lose no pending request and no pending delivery, and send no notification twice", async () => {
    if (services.skip !== undefined) return;
    const env = {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      REDIS_PREFIX: redisPrefix(),
      ISSUER: CLUSTER_ISSUER,
      CIBA_POLL_INTERVAL: "1",
      DELIVERY_RETRY_BASE_MS: "1500",
      DELIVERY_POLL_INTERVAL_MS: "100",
    };
    const a = await startChildProvider(env);
    children.push(a);
    const b = await startChildProvider(env);
    children.push(b);
    const db = createDatabase(services.databaseUrl);
    try {
      await createRepositories(db).clients.create(cibaClient("rp-ping", "ping", { notificationEndpoint: receiver.url("/ping") }));
    } finally {
      await db.close();
    }

    // Instance a dies with three pings waiting for their retry and five requests waiting for the user.
    const pingsOnA = [await retryingPing(at(a)), await retryingPing(at(a)), await retryingPing(at(a))];
    const pending: string[] = [];
    for (let i = 0; i < 5; i++) pending.push((await startRequest(at(a), ALICE)).auth_req_id);
    expect(await a.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });

    // Instance b, still up, makes the retries a owed.
    for (const id of pingsOnA) await deliveredOnRetry(at(b), id);

    // Then b dies too, with two pings of its own waiting for their retry: the whole cluster is down.
    const pingsOnB = [await retryingPing(at(b)), await retryingPing(at(b))];
    expect(await b.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });

    // a starts again on its port and finishes everything.
    const restarted = await startChildProvider({ ...env, PORT: String(a.port) });
    children.push(restarted);
    for (const id of pingsOnB) await deliveredOnRetry(at(restarted), id);

    const device = await deviceLogin(at(restarted), ALICE);
    const { body: listed } = await devicePending(at(restarted), device);
    expect(listed).toHaveLength(pending.length);
    for (const request of listed) {
      expect((await deviceDecide(at(restarted), device, request.id, "approve")).status).toBe(200);
    }
    for (const id of pending) {
      const tokens = await pollToken(at(restarted), id);
      expect(tokens.status).toBe(200);
      expect(tokens.body.access_token).toEqual(expect.any(String));
    }

    // Every ping went out exactly twice (refused once, delivered once), even after the restarted instance
    // swept its due deliveries many times (every 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of [...pingsOnA, ...pingsOnB]) expect(pingsTo(id)).toHaveLength(2);
    expect(receiver.on("/ping")).toHaveLength(2 * (pingsOnA.length + pingsOnB.length));
  });
});
