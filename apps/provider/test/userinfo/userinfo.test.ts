// OIDC Core §5.3–§5.4: claims by scope; RFC 6750 §3 errors with a Bearer challenge.
import { demoUsers } from "@ciba/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, approveAsUser, pollToken, startRequest, url } from "../support/flows";
import { getJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const alice = demoUsers[0];
let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

async function accessToken(scope: string) {
  const { auth_req_id } = await startRequest(provider, ALICE, "demo-poll", { scope });
  await approveAsUser(provider);
  return (await pollToken(provider, auth_req_id)).body.access_token as string;
}

describe("userinfo", () => {
  it("returns only sub for openid", async () => {
    const { status, body } = await getJson(url(provider, "/userinfo"), { authorization: `Bearer ${await accessToken("openid")}` });
    expect(status).toBe(200);
    expect(body).toEqual({ sub: alice.sub });
  });

  it("adds e-mail claims for the email scope", async () => {
    const { body } = await getJson(url(provider, "/userinfo"), { authorization: `Bearer ${await accessToken("openid email")}` });
    expect(body).toEqual({ sub: alice.sub, email: ALICE, email_verified: true });
  });

  it("adds phone claims for the phone scope, by POST as well", async () => {
    const token = await accessToken("openid phone");
    const response = await fetch(url(provider, "/userinfo"), { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(await response.json()).toEqual({ sub: alice.sub, phone_number: alice.phoneNumber, phone_number_verified: true });
  });

  it("requires a token, with a Bearer challenge", async () => {
    const { status, body, headers } = await getJson(url(provider, "/userinfo"));
    expect(status).toBe(401);
    expect(body).toEqual({ error: "invalid_token", error_description: "an access token is required" });
    expect(headers.get("www-authenticate")).toBe('Bearer realm="ciba"');
  });

  it("refuses a forged token", async () => {
    const token = await accessToken("openid");
    const [header, payload] = token.split(".");
    const { status, body, headers } = await getJson(url(provider, "/userinfo"), { authorization: `Bearer ${header}.${payload}.AAAA` });
    expect(status).toBe(401);
    expect(body).toEqual({ error: "invalid_token", error_description: "access token signature is invalid" });
    expect(headers.get("www-authenticate")).toBe(
      'Bearer realm="ciba", error="invalid_token", error_description="access token signature is invalid"',
    );
  });

  it("refuses an ID token presented as an access token", async () => {
    const { auth_req_id } = await startRequest(provider);
    await approveAsUser(provider);
    const idToken = (await pollToken(provider, auth_req_id)).body.id_token as string;
    const { status, body } = await getJson(url(provider, "/userinfo"), { authorization: `Bearer ${idToken}` });
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_token");
  });
});
