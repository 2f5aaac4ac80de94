// How the provider treats what a notification endpoint answers (CIBA Core §10.2, checklist §11.5–§11.7,
// project decision 7): 2xx is delivered and its body ignored; 3xx is never followed; 4xx is final;
// 5xx, timeouts and network errors are retried a bounded number of times.
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationToken, notifiedClient, settledDeliveries } from "../support/deliveries";
import { ALICE, approveAsUser, pollToken, startRequest } from "../support/flows";
import { type Answer, type Receiver, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
const receivers: Receiver[] = [];
let clients = 0;

beforeAll(async () => {
  provider = await startTestProvider({
    env: {
      CIBA_POLL_INTERVAL: "1",
      DELIVERY_MAX_ATTEMPTS: "3",
      DELIVERY_RETRY_BASE_MS: "50",
      DELIVERY_POLL_INTERVAL_MS: "50",
      DELIVERY_RESPONSE_TIMEOUT_MS: "300",
    },
  });
});
afterAll(async () => {
  await provider.close();
  await Promise.all(receivers.map((r) => r.close()));
});

/** A ping client whose endpoint answers `answers`, one approved request, and what came of it. */
async function pingAnswered(...answers: Answer[]) {
  const receiver = await startReceiver();
  receivers.push(receiver);
  receiver.answer(...answers);
  const clientId = `rp-${++clients}`;
  await notifiedClient(provider, clientId, "ping", receiver.url("/cb"));
  const started = await startRequest(provider, ALICE, clientId, { client_notification_token: notificationToken() });
  await approveAsUser(provider, ALICE);
  const [delivery] = await settledDeliveries(provider, started.auth_req_id, clientId);
  return { receiver, clientId, authReqId: started.auth_req_id, delivery: delivery! };
}

/** Gives the provider several retry periods in which it must not call again. */
const quietPeriod = () => new Promise((resolve) => setTimeout(resolve, 400));

describe("notification endpoint responses", () => {
  it("calls an endpoint answering 401 exactly once, and the client can still redeem", async () => {
    const { receiver, delivery, authReqId, clientId } = await pingAnswered({ status: 401 });
    await quietPeriod();
    expect(receiver.on("/cb")).toHaveLength(1);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, next_attempt_at: null });
    expect(delivery.log).toEqual([expect.objectContaining({ attempt: 1, http_status: 401, error: null, outcome: "failed" })]);
    expect((await pollToken(provider, authReqId, clientId)).status).toBe(200);
  });

  it("delivers on a later attempt to an endpoint answering 503 then 200", async () => {
    const { receiver, delivery } = await pingAnswered({ status: 503 }, { status: 200 });
    expect(receiver.on("/cb")).toHaveLength(2);
    expect(receiver.on("/cb")[1]!.raw).toBe(receiver.on("/cb")[0]!.raw);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
    expect(delivery.log.map((a) => [a.attempt, a.http_status, a.outcome])).toEqual([
      [1, 503, "retrying"],
      [2, 200, "delivered"],
    ]);
  });

  it("never follows a 301: the redirect target is not called", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { receiver: endpoint, delivery, authReqId, clientId } = await pingAnswered({
      status: 301,
      headers: { Location: receiver.url("/other") },
    });
    await quietPeriod();
    expect(endpoint.received).toHaveLength(1);
    expect(receiver.received).toHaveLength(0);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery.log).toEqual([
      expect.objectContaining({
        http_status: 301,
        error: "the endpoint answered with a redirect, which is not followed",
        outcome: "failed",
      }),
    ]);
    expect((await pollToken(provider, authReqId, clientId)).status).toBe(200);
  });

  it("accepts 200 with a body, and ignores the body", async () => {
    const { receiver, delivery } = await pingAnswered({ status: 200, body: '{"received":true,"note":"thanks"}' });
    expect(receiver.on("/cb")).toHaveLength(1);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    expect(delivery.log[0]).toMatchObject({ http_status: 200, error: null, outcome: "delivered" });
  });

  it("reads no more than the cap of an oversized response body", async () => {
    const { delivery } = await pingAnswered({ status: 200, body: "x".repeat(2 * 1024 * 1024) });
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("retries after a response timeout", async () => {
    const { receiver, delivery } = await pingAnswered({ status: 204, hang: true }, { status: 204 });
    expect(receiver.on("/cb")).toHaveLength(2);
    expect(delivery.log.map((a) => [a.http_status, a.error, a.outcome])).toEqual([
      [null, "response timeout after 300 ms", "retrying"],
      [204, null, "delivered"],
    ]);
  });

  it("gives up on a 5xx after the configured number of attempts", async () => {
    const { receiver, delivery } = await pingAnswered({ status: 500 });
    await quietPeriod();
    expect(receiver.on("/cb")).toHaveLength(3);
    expect(delivery).toMatchObject({ status: "failed", attempts: 3 });
    expect(delivery.log.map((a) => a.outcome)).toEqual(["retrying", "retrying", "failed"]);
  });

  it("verifies the endpoint's TLS certificate: with a self-signed one nothing is sent", async () => {
    const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name));
    let requests = 0;
    const tls = createHttpsServer({ key: fixture("self-signed-key.pem"), cert: fixture("self-signed-cert.pem") }, (_req, res) => {
      requests++;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = tls.address() as AddressInfo;
      await notifiedClient(provider, "rp-tls", "ping", `https://127.0.0.1:${port}/cb`);
      const started = await startRequest(provider, ALICE, "rp-tls", { client_notification_token: notificationToken() });
      await approveAsUser(provider, ALICE);
      const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-tls");
      expect(delivery!.log.map((a) => [a.http_status, a.error])).toEqual([
        [null, "network error: DEPTH_ZERO_SELF_SIGNED_CERT"],
        [null, "network error: DEPTH_ZERO_SELF_SIGNED_CERT"],
        [null, "network error: DEPTH_ZERO_SELF_SIGNED_CERT"],
      ]);
      expect(requests).toBe(0);
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  });

  it("retries a refused connection, then gives up", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    await notifiedClient(provider, "rp-closed", "ping", `http://127.0.0.1:${port}/cb`);
    const started = await startRequest(provider, ALICE, "rp-closed", { client_notification_token: notificationToken() });
    await approveAsUser(provider, ALICE);
    const [delivery] = await settledDeliveries(provider, started.auth_req_id, "rp-closed");
    expect(delivery!.log.map((a) => [a.http_status, a.error, a.outcome])).toEqual([
      [null, "network error: ECONNREFUSED", "retrying"],
      [null, "network error: ECONNREFUSED", "retrying"],
      [null, "network error: ECONNREFUSED", "failed"],
    ]);
  });
});
