// Redis is a dependency of a multi-instance deployment: without it at start-up the provider refuses to
// start and says why; when it goes away at run time every endpoint keeps answering (each instance
// then counts rate limits on its own and sees only its own devices), and once Redis is back events and
// long-poll wake-ups cross instances again.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnProvider } from "../support/child-provider";
import { type Cluster, startCluster } from "../support/cluster";
import { eventually } from "../support/deliveries";
import { ALICE, deviceDecide, deviceLogin, devicePending, pollToken, startRequest, url } from "../support/flows";
import { basic, getJson, postForm } from "../support/http";
import { freshDatabase, type TestProvider } from "../support/provider";
import { clusterServices } from "../support/services";
import { connectDevice } from "../support/sockets";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const services = await clusterServices();

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("a provider whose Redis cannot be reached at start-up", () => {
  it("exits with status 1 and names the unreachable Redis, without its password", async () => {
    const port = await closedPort();
    const database = freshDatabase();
    const child = spawnProvider({ DATABASE_URL: database.url, REDIS_URL: `redis://:hunter2-redis-password@127.0.0.1:${port}` });
    const exit = await child.exited;
    await database.dispose();

    expect(exit).toEqual({ code: 1, signal: null });
    const output = child.output();
    expect(output).toContain("the provider could not start");
    expect(output).toContain(`Redis at redis://:***@127.0.0.1:${port} (REDIS_URL) is not reachable: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(output).not.toContain("hunter2");
    expect(output).not.toContain("ready at");
  });
});

let proxy: TcpProxy;
let cluster: Cluster;

function longPoll(provider: TestProvider, authReqId: string) {
  return postForm(
    url(provider, "/token"),
    { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId },
    { authorization: basic("demo-poll", DEMO_CLIENT_SECRET), prefer: "wait=30" },
  );
}

async function approve(provider: TestProvider, deviceToken: string, bindingMessage: string) {
  const { body } = await devicePending(provider, deviceToken);
  const request = body.find((r) => r.binding_message === bindingMessage);
  expect((await deviceDecide(provider, deviceToken, request!.id, "approve")).status).toBe(200);
}

describe.skipIf(services.skip !== undefined)("two instances whose Redis goes away for a while", () => {
  beforeAll(async () => {
    if (services.skip !== undefined) return;
    proxy = await startTcpProxy(services.redisUrl);
    cluster = await startCluster({ ...services, redisUrl: proxy.url }, { CIBA_POLL_INTERVAL: "1" });
  });
  afterAll(async () => {
    await cluster?.close();
    await proxy?.close();
  });

  it("keep answering every call during the outage and share events and wake-ups again afterwards", async () => {
    const [a, b] = cluster.instances as [TestProvider, TestProvider];
    const device = await connectDevice(a.issuer, await deviceLogin(a, ALICE));
    await startRequest(b, ALICE, "demo-poll", { binding_message: "BEFORE" });
    await device.received.waitFor((e) => e.event === "request:created" && e.payload.binding_message === "BEFORE");

    // A token request held on a while Redis is away.
    const held = await startRequest(a, ALICE, "demo-poll", { binding_message: "HELD" });
    const heldPoll = longPoll(a, held.auth_req_id);
    await eventually(async () => expect((await a.deps.repos.authRequests.findByAuthReqId(held.auth_req_id))?.lastPolledAt).toBeTruthy());

    await proxy.cut();
    const during = await startRequest(b, ALICE, "demo-poll", { binding_message: "DURING" });
    const deviceOnB = await deviceLogin(b, ALICE);
    await approve(b, deviceOnB, "DURING");
    const redeemed = await pollToken(a, during.auth_req_id);
    expect(redeemed.status).toBe(200);
    await approve(b, deviceOnB, "HELD");
    for (const instance of [a, b]) expect((await getJson(url(instance, "/healthz"))).status).toBe(200);

    await proxy.restore();
    // The held request is answered with its tokens: a re-reads it when its subscriber is back.
    const answered = await heldPoll;
    expect(answered.status).toBe(200);
    expect(answered.body.access_token).toEqual(expect.any(String));
    // Requests created on b reach the device on a again.
    let attempt = 0;
    await eventually(async () => {
      const bindingMessage = `AFTER${++attempt}`;
      await startRequest(b, ALICE, "demo-poll", { binding_message: bindingMessage });
      await device.received.waitFor((e) => e.event === "request:created" && e.payload.binding_message === bindingMessage, 500);
    });
    device.socket.disconnect();
  });
});
