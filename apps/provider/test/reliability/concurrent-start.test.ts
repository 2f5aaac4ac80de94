// A cluster's instances start together on an empty database (docker-compose up, a rolling first
// deploy): migrations are serialised by an advisory lock, demo data is seeded once even when two
// instances insert the same row at the same moment, and every instance signs with the same key per
// algorithm, which every instance publishes.
import { afterAll, describe, expect, it } from "vitest";
import { type RunningProvider, startProvider } from "../../src/start";
import { clusterEnv } from "../support/cluster";
import { clusterServices, redisPrefix } from "../support/services";

const services = await clusterServices();
const instances: RunningProvider[] = [];

describe.skipIf(services.skip !== undefined)("provider instances starting together on an empty database", () => {
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    if (services.skip === undefined) await services.dispose();
  });

  it("all start, seed the demo data once and sign with the same keys", async () => {
    if (services.skip !== undefined) return;
    const prefix = redisPrefix();
    const env = clusterEnv(services, prefix);
    const started = await Promise.allSettled([startProvider({ env }), startProvider({ env }), startProvider({ env })]);
    for (const result of started) if (result.status === "fulfilled") instances.push(result.value);
    expect(started.map((result) => (result.status === "rejected" ? String(result.reason).split("\n").at(-1) : "started"))).toEqual(["started", "started", "started"]);

    const [first] = instances as [RunningProvider];
    expect((await first.deps.repos.users.list()).map((user) => user.email)).toEqual(["alice@example.com", "bob@example.com", "carol@example.com"]);
    for (const alg of ["RS256", "PS256", "ES256"] as const) {
      const kids = instances.map((instance) => instance.deps.keystore.signingKey(alg).kid);
      expect(new Set(kids).size).toBe(1);
      for (const instance of instances) expect(instance.deps.keystore.publicJwks.keys.map((key) => key.kid)).toContain(kids[0]);
    }
  });
});
