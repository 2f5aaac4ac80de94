// The SQL layer under the hot repository methods, on a real database: it reads what Prisma writes and
// writes what Prisma reads (dates, booleans, JSON), its atomic units store all or nothing with the
// first writer winning, events keep their order, a lock held elsewhere is waited for without blocking
// the event loop, and the client cache forgets what this instance changes.
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  cibaClient,
  createRepositories,
  type Database,
  demoUsers,
  isUniqueViolation,
  migrate,
  type NewAuthRequest,
  type Repositories,
  seedDemoData,
} from "../src/index";
import { databaseTargets, withDatabase } from "./support";

const alice = demoUsers[0];

function newRequest(id: string, now: Date, overrides: Partial<NewAuthRequest> = {}): NewAuthRequest {
  return {
    id,
    authReqId: `auth-req-${id}`,
    clientId: "demo-poll",
    userId: alice.sub,
    scope: "openid",
    acrValues: null,
    bindingMessage: "4F7K",
    hintType: "login_hint",
    hint: alice.email,
    authorizationDetails: [{ type: "payment_initiation", instructedAmount: { currency: "EUR", amount: "12.50" }, creditorName: "Shop" }],
    requestContext: null,
    clientNotificationToken: null,
    deliveryMode: "poll",
    requestedExpiry: 120,
    expiresAt: new Date(now.getTime() + 60_000),
    interval: 5,
    createdAt: now,
    ...overrides,
  };
}

const grantFor = (id: string, requestId: string, now: Date) => ({
  id,
  clientId: "demo-poll",
  userId: alice.sub,
  authRequestId: requestId,
  scope: "openid",
  authorizationDetails: null,
  acr: "urn:ciba:acr:possession",
  amr: ["swk"],
  authTime: now,
});

async function approved(repos: Repositories, id: string, now: Date) {
  await repos.authRequests.create(newRequest(id, now));
  const decided = { status: "approved" as const, suspectedFraud: false, outcomeDescription: null, decidedAt: now, authTime: now, acr: null, amr: ["swk"] };
  expect(await repos.authRequests.decide(id, decided)).not.toBeNull();
}

/** Runs `work` on a new, migrated and seeded database at the URL `makeUrl` gives. */
async function withRepos(makeUrl: () => string, work: (repos: Repositories, db: Database) => Promise<void>) {
  await withDatabase(makeUrl(), async (db) => {
    await migrate(db);
    const repos = createRepositories(db);
    await seedDemoData(repos, { consoleUrl: "http://localhost:3001" });
    await work(repos, db);
  });
}

describe.each(databaseTargets)("on %s", (dialect, makeUrl) => {

  it("reads rows Prisma wrote, and Prisma reads rows it wrote, to the millisecond", async () => {
    await withRepos(makeUrl, async (repos, db) => {
      const now = new Date("2026-11-21T13:29:46.175Z");
      await repos.clients.create(cibaClient("rp-fapi", "ping", { notificationEndpoint: "https://rp.example/cb", fapiCiba: true, secretExpiresAt: now }));
      const client = (await repos.clients.findById("rp-fapi"))!;
      expect(client).toMatchObject({ fapiCiba: true, userCodeParameter: false, secretExpiresAt: now, deliveryMode: "ping" });

      await repos.authRequests.create(newRequest("r1", now));
      const viaPrisma = await db.prisma.authRequest.findFirst({ where: { id: "r1", expiresAt: { gt: now }, suspectedFraud: false } });
      expect(viaPrisma).toMatchObject({ createdAt: now, expiresAt: new Date(now.getTime() + 60_000), lastPolledAt: null, status: "pending" });
      expect(JSON.parse(viaPrisma!.authorizationDetails!)).toEqual(newRequest("r1", now).authorizationDetails);
      expect(await repos.authRequests.findByAuthReqId("auth-req-r1")).toEqual({
        ...newRequest("r1", now),
        lastPolledAt: null,
        status: "pending",
        suspectedFraud: false,
        decidedAt: null,
        outcomeDescription: null,
        authTime: null,
        acr: null,
        amr: null,
        consumedAt: null,
      });
      if (dialect === "sqlite") {
        const raw = new BetterSqlite3(db.file, { readonly: true });
        const { expires_at } = raw.prepare(`SELECT "expires_at" FROM "auth_requests" WHERE "id" = 'r1'`).get() as { expires_at: string };
        raw.close();
        expect(expires_at).toBe("2026-11-21T13:30:46.175+00:00");
      }
    });
  });

  it("redeems an approved request once: one of ten concurrent redemptions stores its grant and refresh token", async () => {
    await withRepos(makeUrl, async (repos, db) => {
      const now = new Date();
      await approved(repos, "r2", now);
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          repos.grants.redeem({
            authRequestId: "r2",
            now,
            grant: grantFor(`g${i}`, "r2", now),
            refreshToken: { id: `rt${i}`, tokenHash: `hash${i}`, grantId: `g${i}`, dpopJkt: null, expiresAt: new Date(now.getTime() + 3_600_000) },
          }),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const winner = outcomes.indexOf(true);
      expect((await repos.grants.findByAuthRequestId("r2"))!.id).toBe(`g${winner}`);
      expect(await db.prisma.refreshToken.count()).toBe(1);
      expect((await repos.grants.findRefreshTokenByHash(`hash${winner}`))!.grant.id).toBe(`g${winner}`);
      expect((await repos.authRequests.findById("r2"))!.consumedAt).toEqual(now);
    });
  });

  it("stores nothing of a push redemption whose delivery exists already", async () => {
    await withRepos(makeUrl, async (repos, db) => {
      const now = new Date();
      await approved(repos, "r3", now);
      const delivery = {
        id: "d3",
        authRequestId: "r3",
        kind: "push_tokens" as const,
        endpoint: "https://rp.example/cb",
        payload: "{}",
        nextAttemptAt: now,
        leaseOwner: null,
        leaseUntil: null,
        createdAt: now,
      };
      await repos.deliveries.create(delivery);
      const failure = await repos.grants
        .redeem({ authRequestId: "r3", now, grant: grantFor("g3", "r3", now), refreshToken: null, delivery })
        .catch((error: unknown) => error);
      expect(isUniqueViolation(failure)).toBe(true);
      expect((await repos.authRequests.findById("r3"))!.consumedAt).toBeNull();
      expect(await db.prisma.grant.count()).toBe(0);
    });
  });

  it("rotates a refresh token once, and not after it expired", async () => {
    await withRepos(makeUrl, async (repos) => {
      const now = new Date();
      await approved(repos, "r4", now);
      const later = new Date(now.getTime() + 3_600_000);
      const token = (id: string) => ({ id, tokenHash: `hash-${id}`, grantId: "g4", dpopJkt: null, expiresAt: later });
      expect(await repos.grants.redeem({ authRequestId: "r4", now, grant: grantFor("g4", "r4", now), refreshToken: token("a") })).toBe(true);
      const rotations = await Promise.all([repos.grants.rotateRefreshToken("a", now, token("b")), repos.grants.rotateRefreshToken("a", now, token("c"))]);
      expect(rotations.filter(Boolean)).toHaveLength(1);
      expect(await repos.grants.findRefreshTokenByHash(rotations[0] ? "hash-c" : "hash-b")).toBeNull();
      const successor = rotations[0] ? "b" : "c";
      expect(await repos.grants.rotateRefreshToken(successor, new Date(later.getTime() + 1), token("d"))).toBe(false);
      expect(await repos.grants.findRefreshTokenByHash("hash-d")).toBeNull();
    });
  });

  it("applies an attempt's outcome, and revokes pushed tokens, only while holding the lease", async () => {
    await withRepos(makeUrl, async (repos) => {
      const now = new Date();
      await approved(repos, "r5", now);
      await repos.grants.redeem({ authRequestId: "r5", now, grant: grantFor("g5", "r5", now), refreshToken: null });
      const lease = new Date(now.getTime() + 60_000);
      await repos.deliveries.create({ id: "d5", authRequestId: "r5", kind: "push_tokens", endpoint: "https://rp.example/cb", payload: '{"auth_req_id":"x","access_token":"t"}', nextAttemptAt: now, leaseOwner: "a", leaseUntil: lease, createdAt: now });
      const attempt = (n: number) => ({ deliveryId: "d5", attempt: n, startedAt: now, latencyMs: 3, httpStatus: 500, error: "HTTP 500" });
      const failed = { status: "failed" as const, attempts: 1, nextAttemptAt: now, completedAt: now, payload: '{"auth_req_id":"x"}' };

      expect(await repos.deliveries.recordAttempt(attempt(1), "b", failed, "r5")).toBe(false);
      expect((await repos.grants.findById("g5"))!.revokedAt).toBeNull();
      expect(await repos.deliveries.recordAttempt(attempt(2), "a", failed, "r5")).toBe(true);
      expect((await repos.grants.findById("g5"))!.revokedAt).toEqual(now);
      const [logged] = await repos.deliveries.listForAuthRequest("r5");
      expect(logged).toMatchObject({ status: "failed", attempts: 1, payload: '{"auth_req_id":"x"}', leaseOwner: null, leaseUntil: null });
      expect(logged!.log.map((a) => a.attempt)).toEqual([1, 2]);
    });
  });

  it("commits concurrent appends together, with ids in append order, and fails a bad event alone", async () => {
    await withRepos(makeUrl, async (repos) => {
      const now = new Date();
      const event = (n: number) => ({ type: `test.${n}`, authRequestId: null, clientId: "demo-poll", userId: null, data: { n }, createdAt: now });
      const results = await Promise.allSettled([
        ...Array.from({ length: 20 }, (_, n) => repos.protocolEvents.append(event(n))),
        repos.protocolEvents.append({ ...event(20), type: null as unknown as string }),
        repos.protocolEvents.append(event(21)),
      ]);
      expect(results[20]!.status).toBe("rejected");
      const stored = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
      expect(stored.map((e) => e.data.n)).toEqual([...Array.from({ length: 20 }, (_, n) => n), 21]);
      const ids = stored.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const read = await repos.protocolEvents.listForClient("demo-poll", 0);
      expect(read.map((e) => [e.id, e.type, e.data])).toEqual(stored.map((e) => [e.id, e.type, e.data]));
    });
  });

  it("commits concurrent writes each with its own outcome: a duplicate fails alone, the rest are stored", async () => {
    await withRepos(makeUrl, async (repos, db) => {
      const now = new Date();
      const created = await Promise.allSettled(
        ["w1", "w2", "w3", "w2", "w4"].map((id) => repos.authRequests.create(newRequest(id, now, { authReqId: `auth-req-${id}-${Math.random()}` }))),
      );
      // One of the two w2 (which one is up to the database, with a pool) fails; everything else is stored.
      const failed = created.flatMap((r, i) => (r.status === "rejected" ? [{ i, reason: r.reason as unknown }] : []));
      expect(failed.map((f) => f.i).every((i) => i === 1 || i === 3) && failed.length === 1).toBe(true);
      expect(isUniqueViolation(failed[0]!.reason)).toBe(true);
      // Committed once resolved: another connection sees every stored row.
      expect(await db.prisma.authRequest.count({ where: { id: { in: ["w1", "w2", "w3", "w4"] } } })).toBe(4);
      const polls = await Promise.all(["w1", "w2", "w3"].map((id) => repos.authRequests.recordPoll(id, now, 10)));
      expect(polls).toEqual([undefined, undefined, undefined]);
      expect((await repos.authRequests.findById("w3"))!).toMatchObject({ lastPolledAt: now, interval: 10 });
    });
  });

  it("serves a client from its cache until this instance changes it, and tells listeners", async () => {
    await withRepos(makeUrl, async (repos, db) => {
      const changed: string[] = [];
      repos.clients.onChange((clientId) => changed.push(clientId));
      const first = (await repos.clients.findById("demo-poll"))!;
      expect(Object.isFrozen(first) && Object.isFrozen(first.grantTypes)).toBe(true);
      // A change behind the cache's back (another instance) is not seen until invalidated.
      await db.prisma.client.update({ where: { id: "demo-poll" }, data: { name: "Renamed elsewhere" } });
      expect(await repos.clients.findById("demo-poll")).toBe(first);
      repos.clients.invalidate("demo-poll");
      expect((await repos.clients.findById("demo-poll"))!.name).toBe("Renamed elsewhere");

      await repos.clients.update("demo-poll", { name: "Renamed here" });
      expect((await repos.clients.findById("demo-poll"))!.name).toBe("Renamed here");
      await repos.clients.delete("demo-poll");
      expect(await repos.clients.findById("demo-poll")).toBeNull();
      expect(changed).toEqual(["demo-poll", "demo-poll"]);
    });
  });
});

// SQLite's own concerns, whichever database the rest of the suite runs on: a second connection holding
// the write lock, and the write-ahead log checkpointed off the event loop.
describe("on sqlite: locking and checkpoints", () => {
  const sqliteUrl = databaseTargets.find(([dialect]) => dialect === "sqlite")![1];

  it("waits for a write lock held by another connection without blocking the event loop", async () => {
    await withRepos(sqliteUrl, async (repos, db) => {
      const other = new BetterSqlite3(db.file);
      other.prepare("BEGIN IMMEDIATE").run();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const write = repos.authRequests.create(newRequest("r6", new Date()));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const ticksWhileLocked = ticks;
      other.prepare("COMMIT").run();
      other.close();
      await write;
      clearInterval(ticker);
      expect(ticksWhileLocked).toBeGreaterThan(3);
      expect(await repos.authRequests.findById("r6")).not.toBeNull();
    });
  });

  it("copies the write-ahead log into the database file in the background", async () => {
    await withRepos(sqliteUrl, async (repos, db) => {
      const before = statSync(db.file!).size;
      const now = new Date();
      await Promise.all(Array.from({ length: 300 }, (_, i) => repos.authRequests.create(newRequest(`c${i}`, now, { authReqId: `auth-req-c${i}` }))));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(statSync(db.file!).size).toBeGreaterThan(before);
    });
  });

  it("lets a process that closed its database end by itself, after the last checkpoint", async () => {
    // A script whose only work is to open, write and close: with the checkpoint worker unreferenced
    // while it finished, Node ended the process with close() unsettled (exit code 13).
    const script = `
      import { createDatabase, migrate } from ${JSON.stringify(path.resolve(import.meta.dirname, "../src/index.ts"))};
      const db = createDatabase(${JSON.stringify(sqliteUrl())});
      await migrate(db);
      await db.sql.run('DELETE FROM "used_jtis"');
      await db.close();
      console.log("closed");
    `;
    const tsx = path.resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");
    const { stdout } = await promisify(execFile)(tsx, ["--input-type=module", "-e", script], { timeout: 30_000 });
    expect(stdout.trim()).toBe("closed");
  });
});
