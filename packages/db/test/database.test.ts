// The data layer on a real database: migrations apply once, state transitions are first-writer-wins,
// and secrets are never stored in the clear. Runs on a SQLite file, and also on PostgreSQL when
// DATABASE_URL points at a server.
import { describe, expect, it } from "vitest";
import {
  createRepositories,
  DEMO_CLIENT_SECRET,
  DEMO_PIN,
  demoUsers,
  hashToken,
  migrate,
  seedDemoData,
  tokenMatchesHash,
  verifyPin,
} from "../src/index";
import { databaseTargets, withDatabase as withDatabaseAt } from "./support";

describe.each(databaseTargets)("on %s", (_dialect, makeUrl) => {
  const withDatabase = (work: Parameters<typeof withDatabaseAt>[1]) => withDatabaseAt(makeUrl(), work);

  it("applies migrations once", async () => {
    await withDatabase(async (db) => {
      const first = await migrate(db);
      expect(first.applied.length).toBeGreaterThan(0);
      expect((await migrate(db)).applied).toEqual([]);
    });
  });

  it("seeds demo data idempotently, with secrets hashed", async () => {
    await withDatabase(async (db) => {
      await migrate(db);
      const repos = createRepositories(db);
      await seedDemoData(repos, { consoleUrl: "http://localhost:3001" });
      await seedDemoData(repos, { consoleUrl: "http://localhost:4001" });
      expect(await db.prisma.user.count()).toBe(3);
      const ping = await repos.clients.findById("demo-ping");
      expect(ping!.notificationEndpoint).toBe("http://localhost:4001/api/ciba/ping");
      expect(ping!.secretHash).not.toContain(DEMO_CLIENT_SECRET);
      expect(tokenMatchesHash(DEMO_CLIENT_SECRET, ping!.secretHash!)).toBe(true);
      const alice = await repos.users.findByHint("email", demoUsers[0].email);
      expect(alice!.pinHash).not.toContain(DEMO_PIN);
      expect(await verifyPin(DEMO_PIN, alice!.pinHash)).toBe(true);
      expect(await verifyPin("4321", alice!.pinHash)).toBe(false);
    });
  });

  it("seeds every demo user's PIN and user code, each hash with a salt of its own", async () => {
    await withDatabase(async (db) => {
      await migrate(db);
      const repos = createRepositories(db);
      await seedDemoData(repos, { consoleUrl: "http://localhost:3001" });
      const salts = new Set<string>();
      for (const [i, demo] of demoUsers.entries()) {
        const user = (await repos.users.findBySub(demo.sub))!;
        const someoneElse = demoUsers[(i + 1) % demoUsers.length]!;
        expect(await verifyPin(DEMO_PIN, user.pinHash)).toBe(true);
        expect(await verifyPin(demo.userCode, user.userCodeHash!)).toBe(true);
        expect(await verifyPin(someoneElse.userCode, user.userCodeHash!)).toBe(false);
        salts.add(user.pinHash.split("$")[4]!).add(user.userCodeHash!.split("$")[4]!);
      }
      expect(salts.size).toBe(demoUsers.length * 2);
    });
  });

  it("lets only the first of concurrent decisions win", async () => {
    await withDatabase(async (db) => {
      await migrate(db);
      const repos = createRepositories(db);
      await seedDemoData(repos, { consoleUrl: "http://localhost:3001" });
      const now = new Date();
      await repos.authRequests.create({
        id: "dev-1",
        authReqId: hashToken("x"),
        clientId: "demo-poll",
        userId: demoUsers[0].sub,
        scope: "openid",
        acrValues: null,
        bindingMessage: null,
        hintType: "login_hint",
        hint: demoUsers[0].email,
        authorizationDetails: null,
        requestContext: null,
        clientNotificationToken: null,
        deliveryMode: "poll",
        requestedExpiry: null,
        expiresAt: new Date(now.getTime() + 60_000),
        interval: 5,
        createdAt: now,
      });
      const decision = (status: "approved" | "denied") =>
        repos.authRequests.decide("dev-1", {
          status,
          suspectedFraud: false,
          outcomeDescription: null,
          decidedAt: now,
          authTime: now,
          acr: null,
          amr: null,
        });
      const results = await Promise.all([decision("approved"), decision("denied"), decision("approved"), decision("denied")]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const consumed = await Promise.all(Array.from({ length: 10 }, () => repos.authRequests.consume("dev-1", now)));
      const winner = results.find(Boolean)!;
      expect(consumed.filter(Boolean)).toHaveLength(winner.status === "approved" ? 1 : 0);
    });
  });
});
