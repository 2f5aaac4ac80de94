// The conformance suite's automated_ciba_approval_url: on in the demo/test profile, 404 in production
// unless enabled; decisions go through the same completion path as the device's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollToken, startRequest, url } from "../support/flows";
import { postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

describe("automated approval", () => {
  it("approves by query parameters", async () => {
    const { auth_req_id } = await startRequest(provider);
    const response = await fetch(url(provider, `/ciba/automated-approval?auth_req_id=${auth_req_id}&action=allow`), { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ auth_req_id, status: "approved" });
    expect((await pollToken(provider, auth_req_id)).status).toBe(200);
  });

  it("denies by form body", async () => {
    const { auth_req_id } = await startRequest(provider);
    const response = await postForm(url(provider, "/ciba/automated-approval"), { auth_req_id, action: "deny" });
    expect(response.body).toEqual({ auth_req_id, status: "denied" });
    expect((await pollToken(provider, auth_req_id)).body.error).toBe("access_denied");
  });

  it("answers 409 once decided, 404 for an unknown id, 400 for a bad action", async () => {
    const { auth_req_id } = await startRequest(provider);
    await postForm(url(provider, "/ciba/automated-approval"), { auth_req_id, action: "allow" });
    const again = await postForm(url(provider, "/ciba/automated-approval"), { auth_req_id, action: "deny" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: "conflict", error_description: "the request was already approved" });
    const unknown = await postForm(url(provider, "/ciba/automated-approval"), { auth_req_id: "nope", action: "allow" });
    expect(unknown.status).toBe(404);
    const bad = await postForm(url(provider, "/ciba/automated-approval"), { auth_req_id, action: "maybe" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: "invalid_request", error_description: "action must be allow or deny" });
  });
});

describe("automated approval in production", () => {
  it("is not there unless explicitly enabled", async () => {
    const production = await startTestProvider({ env: { NODE_ENV: "production" } });
    try {
      const response = await fetch(url(production, "/ciba/automated-approval?auth_req_id=x&action=allow"), { method: "POST" });
      expect(response.status).toBe(404);
    } finally {
      await production.close();
    }
    const enabled = await startTestProvider({ env: { NODE_ENV: "production", CIBA_AUTOMATED_APPROVAL: "true" } });
    try {
      const response = await fetch(url(enabled, "/ciba/automated-approval?auth_req_id=x&action=allow"), { method: "POST" });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found", error_description: "auth_req_id is unknown" });
    } finally {
      await enabled.close();
    }
  });
});
