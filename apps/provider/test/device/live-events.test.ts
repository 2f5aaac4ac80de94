// Live status over socket.io: devices hear only their user's requests; a client's monitor hears every
// state change of its own requests, in the order the protocol event log recorded them.
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { deviceRequestSchema, protocolEventSchema, requestEndedSchema } from "@ciba/protocol";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, BOB, approveAsUser, createClient, deviceDecide, deviceLogin, pollToken, startRequest } from "../support/flows";
import { startTestProvider, type TestProvider } from "../support/provider";
import { connectDevice, connectMonitor } from "../support/sockets";

let provider: TestProvider;
const sockets: Array<{ disconnect(): unknown }> = [];
beforeAll(async () => {
  provider = await startTestProvider();
  await createClient(provider, "other-poll", "poll");
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await provider.close();
});

describe("device events", () => {
  it("delivers a new request to the user's devices only, and its end", async () => {
    const alice = await connectDevice(provider.issuer, await deviceLogin(provider, ALICE));
    const aliceSecondPhone = await connectDevice(provider.issuer, await deviceLogin(provider, ALICE));
    const bob = await connectDevice(provider.issuer, await deviceLogin(provider, BOB));
    sockets.push(alice.socket, aliceSecondPhone.socket, bob.socket);

    await startRequest(provider, ALICE, "demo-poll", { binding_message: "LIVE1" });
    const created = await alice.received.waitFor((e) => e.event === "request:created" && e.payload.binding_message === "LIVE1");
    const request = deviceRequestSchema.parse(created.payload);
    await aliceSecondPhone.received.waitFor((e) => e.event === "request:created" && e.payload.id === request.id);

    const token = await deviceLogin(provider, ALICE);
    await deviceDecide(provider, token, request.id, "approve");
    const ended = await aliceSecondPhone.received.waitFor((e) => e.event === "request:ended" && e.payload.id === request.id);
    expect(requestEndedSchema.parse(ended.payload)).toEqual({ id: request.id, status: "approved", suspected_fraud: false, description: null });

    await startRequest(provider, BOB, "demo-poll", { binding_message: "BOBS1" });
    await bob.received.waitFor((e) => e.event === "request:created" && e.payload.binding_message === "BOBS1");
    expect(bob.received.items.some((e) => e.event === "request:created" && e.payload.binding_message === "LIVE1")).toBe(false);
    expect(alice.received.items.some((e) => e.event === "request:created" && e.payload.binding_message === "BOBS1")).toBe(false);
  });

  it("records how many devices were notified", async () => {
    const device = await connectDevice(provider.issuer, await deviceLogin(provider, "carol@example.com"));
    sockets.push(device.socket);
    const { auth_req_id } = await startRequest(provider, "carol@example.com");
    const request = await provider.deps.repos.authRequests.findByAuthReqId(auth_req_id);
    const events = await provider.deps.repos.protocolEvents.listForAuthRequest(request!.id);
    expect(events.find((e) => e.type === "device.notified")!.data).toMatchObject({ devices: 1 });
  });

  it("drops a device's live connection when it signs out", async () => {
    const token = await deviceLogin(provider, ALICE);
    const device = await connectDevice(provider.issuer, token);
    sockets.push(device.socket);
    const disconnected = new Promise<string>((resolve) => device.socket.once("disconnect", resolve));
    const logout = await fetch(`${provider.issuer}/device/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(logout.status).toBe(204);
    expect(await disconnected).toBe("io server disconnect");
  });

  it("refuses a socket without a valid device token", async () => {
    const socket = io(`${provider.issuer}/device`, { auth: { device_token: "nope" }, transports: ["websocket"], reconnection: false });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(error.message).toBe("invalid_token: the device session is unknown or expired");
  });
});

describe("monitor events", () => {
  it("streams every state change of the client's own requests, in order", async () => {
    const monitor = await connectMonitor(provider.issuer, "demo-poll", DEMO_CLIENT_SECRET);
    const other = await connectMonitor(provider.issuer, "other-poll", DEMO_CLIENT_SECRET);
    sockets.push(monitor.socket, other.socket);

    const { auth_req_id } = await startRequest(provider);
    await pollToken(provider, auth_req_id);
    await approveAsUser(provider);
    await pollToken(provider, auth_req_id);
    await monitor.received.waitFor((e) => e.type === "tokens.issued" && e.auth_req_id === auth_req_id);

    const mine = monitor.received.items.filter((e) => e.auth_req_id === auth_req_id);
    for (const event of mine) protocolEventSchema.parse(event);
    expect(mine.map((e) => e.type)).toEqual(["request.created", "device.notified", "request.polled", "request.decided", "tokens.issued"]);
    expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((a, b) => a - b));
    expect(other.received.items.some((e) => e.auth_req_id === auth_req_id)).toBe(false);

    // A reconnecting monitor catches up from the log.
    const replayed = await monitor.socket.emitWithAck("events:since", mine[1]!.seq);
    expect(replayed.filter((e) => e.auth_req_id === auth_req_id).map((e) => e.type)).toEqual(["request.polled", "request.decided", "tokens.issued"]);
  });

  it("refuses a monitor with wrong client credentials", async () => {
    await expect(connectMonitor(provider.issuer, "demo-poll", "wrong")).rejects.toThrow("invalid_client: client authentication failed");
  });
});
