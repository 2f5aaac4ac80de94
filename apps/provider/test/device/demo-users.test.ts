// GET /device/demo-users: the demo profile offers its seeded users to a simulator's sign-in screen;
// production has no such endpoint.
import { demoUserListSchema } from "@ciba/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { url } from "../support/flows";
import { getJson, postJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const started: TestProvider[] = [];
async function start(env: Record<string, string> = {}) {
  const provider = await startTestProvider({ env });
  started.push(provider);
  return provider;
}
afterAll(() => Promise.all(started.map((p) => p.close())));

describe("GET /device/demo-users", () => {
  it("lists the demo users' names and e-mail login hints in the demo profile, never a PIN", async () => {
    const provider = await start();
    const response = await getJson(url(provider, "/device/demo-users"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(demoUserListSchema.parse(response.body)).toEqual([
      { name: "Alice Martin", login_hint: "alice@example.com" },
      { name: "Bob Okafor", login_hint: "bob@example.com" },
      { name: "Carol Nguyen", login_hint: "carol@example.com" },
    ]);
    expect(JSON.stringify(response.body)).not.toMatch(/pin/i);

    const post = await postJson(url(provider, "/device/demo-users"), {});
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("lists nobody when demo data is not seeded", async () => {
    const provider = await start({ SEED_DEMO_DATA: "false" });
    const response = await getJson(url(provider, "/device/demo-users"));
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  it("does not exist in production", async () => {
    const provider = await start({ NODE_ENV: "production", SEED_DEMO_DATA: "false" });
    const response = await getJson(url(provider, "/device/demo-users"));
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: "not_found", error_description: "no endpoint at /device/demo-users" });
  });
});
