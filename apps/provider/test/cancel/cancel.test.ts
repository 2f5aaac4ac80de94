// Client-initiated cancel, this platform's extension: POST /backchannel-authentication/cancel with client
// authentication and the client's own pending auth_req_id. The request ends through the one completion
// path: the device drops it at once (socket.io request:ended), the token endpoint answers access_denied
// "cancelled by the client", and ping and push clients are notified as for a denial.
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationToken, notifiedClient } from "../support/deliveries";
import {
  ALICE,
  approveAsUser,
  backchannelAuthenticate,
  createClient,
  deviceLogin,
  devicePending,
  pollToken,
  startRequest,
  url,
} from "../support/flows";
import { basic, getJson, type JsonResponse, postForm } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { startTestProvider, type TestProvider } from "../support/provider";
import { connectDevice } from "../support/sockets";

let provider: TestProvider;
let receiver: Receiver;
const sockets: Array<{ disconnect(): unknown }> = [];

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.answer({ status: 204 });
  provider = await startTestProvider();
  await createClient(provider, "other-poll", "poll");
  await notifiedClient(provider, "cancel-ping", "ping", receiver.url("/ping"));
  await notifiedClient(provider, "cancel-push", "push", receiver.url("/push"));
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await provider.close();
  await receiver.close();
});

function cancel(authReqId: string | undefined, clientId = "demo-poll", secret = DEMO_CLIENT_SECRET): Promise<JsonResponse> {
  return postForm(url(provider, "/backchannel-authentication/cancel"), authReqId === undefined ? {} : { auth_req_id: authReqId }, {
    authorization: basic(clientId, secret),
  });
}

function expectError(response: JsonResponse, status: number, error: string, description: string) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error, error_description: description });
}

describe("cancelling a pending request", () => {
  it("removes it from the device at once and makes the token endpoint answer access_denied", async () => {
    const deviceToken = await deviceLogin(provider, ALICE);
    const device = await connectDevice(provider.issuer, deviceToken);
    sockets.push(device.socket);

    const { auth_req_id } = await startRequest(provider, ALICE, "demo-poll", { binding_message: "CNCL1" });
    const created = await device.received.waitFor((e) => e.event === "request:created" && e.payload.binding_message === "CNCL1");
    const requestId = (created.payload as { id: string }).id;
    expect((await devicePending(provider, deviceToken)).body.map((r) => r.id)).toContain(requestId);

    const response = await cancel(auth_req_id);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toEqual({ auth_req_id, status: "cancelled" });

    // Live: the device is told the request ended, and it is gone from the pending list.
    const ended = await device.received.waitFor((e) => e.event === "request:ended" && e.payload.id === requestId);
    expect(ended.payload).toEqual({ id: requestId, status: "cancelled", suspected_fraud: false, description: "cancelled by the client" });
    expect((await devicePending(provider, deviceToken)).body.map((r) => r.id)).not.toContain(requestId);

    expectError(await pollToken(provider, auth_req_id), 400, "access_denied", "cancelled by the client");
    // A cancelled request can no longer be approved on the device.
    const late = await postForm(url(provider, `/device/requests/${requestId}/approve`), "", { authorization: `Bearer ${deviceToken}` });
    expect(late.status).toBe(409);
  });

  it("records the cancellation in the protocol event log", async () => {
    const { auth_req_id } = await startRequest(provider, ALICE);
    await cancel(auth_req_id);
    const request = await provider.deps.repos.authRequests.findByAuthReqId(auth_req_id);
    const events = await provider.deps.repos.protocolEvents.listForAuthRequest(request!.id);
    expect(events.find((e) => e.type === "request.decided")?.data).toMatchObject({ status: "cancelled", description: "cancelled by the client" });
  });

  it("pings a ping client as for a denial, and its token request gets access_denied", async () => {
    const token = notificationToken();
    const started = await backchannelAuthenticate(
      provider,
      { scope: "openid", login_hint: ALICE, client_notification_token: token },
      "cancel-ping",
    );
    const before = receiver.on("/ping").length;
    expect((await cancel(started.body.auth_req_id as string, "cancel-ping")).status).toBe(200);
    const [ping] = (await receiver.waitFor(before + 1, "/ping")).slice(before);
    expect(ping!.headers.authorization).toBe(`Bearer ${token}`);
    expect(ping!.body).toEqual({ auth_req_id: started.body.auth_req_id });
    expectError(await pollToken(provider, started.body.auth_req_id as string, "cancel-ping"), 400, "access_denied", "cancelled by the client");
  });

  it("sends a push client the access_denied error payload", async () => {
    const token = notificationToken();
    const started = await backchannelAuthenticate(
      provider,
      { scope: "openid", login_hint: ALICE, client_notification_token: token },
      "cancel-push",
    );
    const before = receiver.on("/push").length;
    expect((await cancel(started.body.auth_req_id as string, "cancel-push")).status).toBe(200);
    const [push] = (await receiver.waitFor(before + 1, "/push")).slice(before);
    expect(push!.headers.authorization).toBe(`Bearer ${token}`);
    expect(push!.body).toEqual({ auth_req_id: started.body.auth_req_id, error: "access_denied", error_description: "cancelled by the client" });
  });
});

describe("cancel refusals", () => {
  it("requires client authentication", async () => {
    const { auth_req_id } = await startRequest(provider, ALICE);
    const response = await postForm(url(provider, "/backchannel-authentication/cancel"), { auth_req_id });
    expectError(response, 401, "invalid_client", "client authentication is required: no client credentials");
  });

  it("requires auth_req_id", async () => {
    expectError(await cancel(undefined), 400, "invalid_request", "auth_req_id is required");
  });

  it("refuses an unknown auth_req_id", async () => {
    expectError(await cancel("no-such-request"), 400, "invalid_grant", "auth_req_id is unknown or was issued to another client");
  });

  it("refuses another client's auth_req_id and leaves the request pending", async () => {
    const { auth_req_id } = await startRequest(provider, ALICE);
    expectError(await cancel(auth_req_id, "other-poll"), 400, "invalid_grant", "auth_req_id is unknown or was issued to another client");
    expectError(await pollToken(provider, auth_req_id), 400, "authorization_pending", "the end-user has not yet been authenticated");
  });

  it("refuses a request the user already approved, which stays redeemable", async () => {
    const { auth_req_id } = await startRequest(provider, ALICE);
    await approveAsUser(provider, ALICE);
    expectError(await cancel(auth_req_id), 400, "invalid_grant", "the request has already ended: approved");
    expect((await pollToken(provider, auth_req_id)).status).toBe(200);
  });

  it("refuses a request cancelled before", async () => {
    const { auth_req_id } = await startRequest(provider, ALICE);
    expect((await cancel(auth_req_id)).status).toBe(200);
    expectError(await cancel(auth_req_id), 400, "invalid_grant", "the request has already ended: cancelled");
  });

  it("answers GET with 405", async () => {
    const response = await getJson(url(provider, "/backchannel-authentication/cancel"));
    expect(response.status).toBe(405);
  });

  it("is advertised in discovery as an extension", async () => {
    const { body } = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    expect(body.backchannel_authentication_cancel_endpoint).toBe(`${provider.issuer}/backchannel-authentication/cancel`);
  });
});
