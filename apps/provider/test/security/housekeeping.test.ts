// The expiry sweeper also deletes what has lost all use, so the replay cache of JWT identifiers and
// the device sessions do not grow for ever: an expired jti, an expired or signed-out device session.
import { demoUsers } from "@ciba/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../support/clock";
import { BOB, deviceLogin, url } from "../support/flows";
import { postJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const clock = createTestClock();
let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider({ clock })));
afterAll(() => provider.close());

const MINUTE = 60_000;

async function count(table: "used_jtis" | "device_sessions", key: string, column = "key"): Promise<number> {
  const row = await provider.deps.db.sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" = ?`, [key]);
  return Number(row!.n);
}

describe("housekeeping by the expiry sweeper", () => {
  it("purges JWT identifiers once their lifetime is over, and keeps the live ones", async () => {
    const now = clock.now();
    expect(await provider.deps.repos.usedJtis.use("client-a:short", new Date(now.getTime() + 30_000), now)).toBe(true);
    expect(await provider.deps.repos.usedJtis.use("client-a:long", new Date(now.getTime() + 10 * MINUTE), now)).toBe(true);

    clock.advance(2 * MINUTE);
    await provider.sweepExpired();

    expect(await count("used_jtis", "client-a:short")).toBe(0);
    expect(await count("used_jtis", "client-a:long")).toBe(1);
    // A live identifier is still a replay.
    expect(await provider.deps.repos.usedJtis.use("client-a:long", new Date(clock.now().getTime() + MINUTE), clock.now())).toBe(false);
  });

  it("purges signed-out device sessions at the next purge, and keeps the signed-in ones", async () => {
    const signedOut = await deviceLogin(provider, BOB);
    const signedIn = await deviceLogin(provider, BOB);
    expect((await postJson(url(provider, "/device/logout"), undefined, { authorization: `Bearer ${signedOut}` })).status).toBe(204);
    const sessionsOfBob = () => count("device_sessions", demoUsers[1].sub, "sub");
    const before = await sessionsOfBob();

    clock.advance(2 * MINUTE);
    await provider.sweepExpired();

    expect(await sessionsOfBob()).toBe(before - 1);
    const requests = await fetch(url(provider, "/device/requests"), { headers: { authorization: `Bearer ${signedIn}` } });
    expect(requests.status).toBe(200);
  });
});
