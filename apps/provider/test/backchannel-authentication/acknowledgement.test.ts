// CIBA Core §7.3: the acknowledgement carries an unguessable auth_req_id, expires_in and (poll/ping)
// interval, as JSON that is not cached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, backchannelAuthenticate } from "../support/flows";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

describe("acknowledgement", () => {
  it("returns auth_req_id, expires_in and interval for a poll client", async () => {
    const response = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(response.body).sort()).toEqual(["auth_req_id", "expires_in", "interval"]);
    expect(response.body.expires_in).toBe(300);
    expect(response.body.interval).toBe(5);
  });

  it("gives push clients no interval", async () => {
    const response = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, client_notification_token: "t".repeat(32) }, "demo-push");
    expect(response.status).toBe(200);
    expect(response.body).not.toHaveProperty("interval");
  });

  it("makes auth_req_ids of at least 160 bits from the allowed characters, never twice", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { body } = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE });
      const id = body.auth_req_id as string;
      expect(id).toMatch(/^[A-Za-z0-9._-]+$/);
      // base64url carries 6 bits per character
      expect(id.length * 6).toBeGreaterThanOrEqual(160);
      ids.add(id);
    }
    expect(ids.size).toBe(100);
  });
});
