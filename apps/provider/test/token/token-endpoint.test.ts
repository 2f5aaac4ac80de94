// RFC 6749 §3.2 and §5.2 at the token endpoint: grant_type handling and client authentication.
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, url } from "../support/flows";
import { basic, postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
  await createClient(provider, "ciba-only", "poll", { grantTypes: [CIBA_GRANT_TYPE] });
});
afterAll(() => provider.close());

const token = (params: Record<string, string>, clientId = "demo-poll", secret = "demo-secret") =>
  postForm(url(provider, "/token"), params, { authorization: basic(clientId, secret) });

describe("token endpoint", () => {
  it("requires grant_type", async () => {
    const response = await token({});
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "invalid_request", error_description: "grant_type is required" });
  });

  it("refuses an unsupported grant_type", async () => {
    const response = await token({ grant_type: "authorization_code", code: "x" });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "unsupported_grant_type", error_description: "grant_type authorization_code is not supported" });
  });

  it("refuses a grant the client is not registered for", async () => {
    const response = await token({ grant_type: "refresh_token", refresh_token: "x" }, "ciba-only");
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "unauthorized_client", error_description: "the client is not registered for the refresh_token grant" });
  });

  it("authenticates the client first", async () => {
    const response = await token({ grant_type: "nonsense" }, "demo-poll", "wrong");
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("invalid_client");
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="ciba"');
  });

  it("refuses a non-form body", async () => {
    const response = await fetch(url(provider, "/token"), {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: basic("demo-poll", "demo-secret") },
      body: "grant_type=refresh_token",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "the request body must be application/x-www-form-urlencoded" });
  });
});
