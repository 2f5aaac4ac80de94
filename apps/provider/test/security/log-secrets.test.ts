// Logs are read by more people than tokens should be: a provider process at LOG_LEVEL=debug runs every
// kind of flow (poll, long poll, ping, push, refresh, userinfo, registration, device sign-in with a
// wrong and a right PIN, sockets, cancel, a replayed redemption, failed client authentication), and
// nothing it wrote to stdout or stderr contains a client secret, registration access token, device
// token, access/refresh/ID token, PIN, user code, auth_req_id, client_notification_token or login hint.
import { randomBytes, randomInt } from "node:crypto";
import { cibaClient, createDatabase, createRepositories, hashPin } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadyChildProvider, startChildProvider } from "../support/child-provider";
import { notificationToken, settledDeliveries } from "../support/deliveries";
import { deviceDecide, deviceLogin, devicePending, type Reachable } from "../support/flows";
import { basic, getJson, postForm, postJson } from "../support/http";
import { type Receiver, startReceiver } from "../support/notification-receiver";
import { freshDatabase } from "../support/provider";
import { connectDevice, connectMonitor } from "../support/sockets";

const database = freshDatabase();
let provider: ReadyChildProvider;
let receiver: Receiver;
let at: Reachable;
/** Every secret value the flows handled; none may appear in the log. */
const secrets = new Map<string, string>();
const keep = (what: string, value: string | undefined) => {
  if (!value) throw new Error(`no ${what} to look for`);
  secrets.set(`${what} #${secrets.size}`, value);
  return value;
};

const token = () => randomBytes(24).toString("base64url");
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join("");

const user = {
  id: `log-user-${digits(6)}`,
  email: `dana.${digits(6)}@logcheck.example`,
  phone: `+4477009${digits(5)}`,
  customerNumber: `7${digits(7)}`,
  pin: digits(8),
  userCode: `quartz${digits(4)}`,
};
const clientSecrets = { poll: token(), ping: token(), push: token() };

beforeAll(async () => {
  receiver = await startReceiver();
  provider = await startChildProvider({ DATABASE_URL: database.url, LOG_LEVEL: "debug", CIBA_POLL_INTERVAL: "1" });
  at = { issuer: provider.baseUrl };
  const db = createDatabase(database.url);
  try {
    const repos = createRepositories(db);
    await repos.users.create({
      id: user.id,
      name: "Dana Whitlock",
      givenName: "Dana",
      familyName: "Whitlock",
      email: user.email,
      phoneNumber: user.phone,
      customerNumber: user.customerNumber,
      locale: "en-GB",
      pinHash: await hashPin(user.pin),
      userCodeHash: await hashPin(user.userCode),
    });
    await repos.clients.create(cibaClient("log-poll", "poll", { secret: clientSecrets.poll, userCodeParameter: true }));
    await repos.clients.create(cibaClient("log-ping", "ping", { secret: clientSecrets.ping, notificationEndpoint: receiver.url("/ping") }));
    await repos.clients.create(cibaClient("log-push", "push", { secret: clientSecrets.push, notificationEndpoint: receiver.url("/push") }));
  } finally {
    await db.close();
  }
  for (const [mode, secret] of Object.entries(clientSecrets)) keep(`${mode} client secret`, secret);
  for (const [what, value] of Object.entries(user)) if (what !== "id") keep(what, value);
});
afterAll(async () => {
  await provider?.stop("SIGKILL");
  await receiver?.close();
  await database.dispose();
});

async function startAndApprove(clientId: string, secret: string, params: Record<string, string>, deviceToken: string) {
  const ack = await postForm<{ auth_req_id: string }>(`${provider.baseUrl}/backchannel-authentication`, { scope: "openid profile email phone", ...params }, {
    authorization: basic(clientId, secret),
  });
  expect(ack.status).toBe(200);
  keep("auth_req_id", ack.body.auth_req_id);
  const { body: pending } = await devicePending(at, deviceToken);
  expect((await deviceDecide(at, deviceToken, pending.at(-1)!.id, "approve", { pin: user.pin })).status).toBe(200);
  return ack.body.auth_req_id;
}

describe("the provider's log at LOG_LEVEL=debug", () => {
  it("holds no secret, token, PIN, user code, auth_req_id or login hint after every kind of flow", async () => {
    const base = provider.baseUrl;
    const poll = { authorization: basic("log-poll", clientSecrets.poll) };

    // Device sign-in: a wrong PIN first, then the right one; a live device socket.
    const wrongPin = keep("wrong PIN", digits(8));
    expect((await postJson(`${base}/device/login`, { login_hint: user.email, pin: wrongPin })).status).toBe(401);
    const deviceToken = keep("device token", await deviceLogin(at, user.phone, user.pin));
    const device = await connectDevice(base, deviceToken);
    const monitor = await connectMonitor(base, "log-poll", clientSecrets.poll);

    // Poll with the customer number and the user code, a long poll, tokens, a replay, userinfo, refresh.
    const polled = await startAndApprove("log-poll", clientSecrets.poll, { login_hint: user.customerNumber, user_code: user.userCode, binding_message: "LOG1" }, deviceToken);
    const tokens = await postForm<Record<string, string>>(`${base}/token`, { grant_type: CIBA_GRANT_TYPE, auth_req_id: polled }, { ...poll, prefer: "wait=5" });
    expect(tokens.status).toBe(200);
    for (const name of ["access_token", "refresh_token", "id_token"]) keep(name, tokens.body[name]);
    expect((await postForm(`${base}/token`, { grant_type: CIBA_GRANT_TYPE, auth_req_id: polled }, poll)).status).toBe(400);
    expect((await getJson(`${base}/userinfo`, { authorization: `Bearer ${tokens.body.access_token}` })).status).toBe(401);
    const fresh = await startAndApprove("log-poll", clientSecrets.poll, { login_hint: user.email, user_code: user.userCode }, deviceToken);
    const second = await postForm<Record<string, string>>(`${base}/token`, { grant_type: CIBA_GRANT_TYPE, auth_req_id: fresh }, poll);
    for (const name of ["access_token", "refresh_token", "id_token"]) keep(name, second.body[name]);
    expect((await getJson(`${base}/userinfo`, { authorization: `Bearer ${second.body.access_token}` })).status).toBe(200);
    const refreshed = await postForm<Record<string, string>>(`${base}/token`, { grant_type: "refresh_token", refresh_token: second.body.refresh_token! }, poll);
    expect(refreshed.status).toBe(200);
    for (const name of ["access_token", "refresh_token", "id_token"]) keep(name, refreshed.body[name]);

    // id_token_hint, then a client cancel.
    const hinted = await postForm<{ auth_req_id: string }>(`${base}/backchannel-authentication`, { scope: "openid", id_token_hint: second.body.id_token!, user_code: user.userCode }, poll);
    expect(hinted.status).toBe(200);
    keep("auth_req_id", hinted.body.auth_req_id);
    expect((await postForm(`${base}/backchannel-authentication/cancel`, { auth_req_id: hinted.body.auth_req_id }, poll)).status).toBe(200);

    // Failed client authentication with a wrong secret.
    const wrongSecret = keep("wrong client secret", token());
    expect((await postForm(`${base}/token`, { grant_type: CIBA_GRANT_TYPE, auth_req_id: fresh }, { authorization: basic("log-poll", wrongSecret) })).status).toBe(401);

    // Ping and push, delivered to a real endpoint.
    const pingToken = keep("client_notification_token", notificationToken());
    const pinged = await startAndApprove("log-ping", clientSecrets.ping, { login_hint: user.email, client_notification_token: pingToken }, deviceToken);
    await settledDeliveries(at, pinged, "log-ping", clientSecrets.ping);
    const pushToken = keep("client_notification_token", notificationToken());
    const pushed = await startAndApprove("log-push", clientSecrets.push, { login_hint: user.email, client_notification_token: pushToken }, deviceToken);
    await settledDeliveries(at, pushed, "log-push", clientSecrets.push);
    const pushPayload = receiver.on("/push")[0]!.body as Record<string, string>;
    for (const name of ["access_token", "refresh_token", "id_token"]) keep(`pushed ${name}`, pushPayload[name]);

    // Dynamic registration and its management token (rotated by a read).
    const registered = await postJson<Record<string, string>>(`${base}/register`, {
      client_name: "Log check RP",
      grant_types: [CIBA_GRANT_TYPE],
      backchannel_token_delivery_mode: "poll",
    });
    expect(registered.status).toBe(201);
    keep("registered client secret", registered.body.client_secret);
    keep("registration access token", registered.body.registration_access_token);
    const read = await getJson<Record<string, string>>(registered.body.registration_client_uri!.replace(/^https?:\/\/[^/]+/, base), {
      authorization: `Bearer ${registered.body.registration_access_token}`,
    });
    expect(read.status).toBe(200);
    keep("registration access token", read.body.registration_access_token);

    // Sign out, which also drops the socket.
    expect((await postForm(`${base}/device/logout`, "", { authorization: `Bearer ${deviceToken}` })).status).toBe(204);
    device.socket.disconnect();
    monitor.socket.disconnect();

    // Wait for the request log of the last call, then read everything the process wrote.
    await provider.waitForOutput(/POST \/device\/logout 204/);
    const log = provider.output();
    expect(log).toContain("POST /token 200");
    expect(log).toContain("delivery push_tokens attempt 1: 204 -> delivered");
    const found = [...secrets.entries()].filter(([, value]) => {
      // Digit-only values (PINs, customer numbers) must not stand alone; inside a longer number they are no leak.
      const pattern = /^\d+$/.test(value) ? new RegExp(`(?<!\\d)${value}(?!\\d)`) : null;
      return pattern ? pattern.test(log) : log.includes(value);
    });
    expect(found.map(([what]) => what)).toEqual([]);
    expect(secrets.size).toBeGreaterThan(30);
  });
});
