// CIBA Core §7.1 / §7.2 step 1 and RFC 6749 §2.3: the client authenticates with its registered method;
// every failure is 401 invalid_client, with a WWW-Authenticate challenge.
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, backchannelAuthenticate, createClient, url } from "../support/flows";
import { basic, postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
let signingKey: CryptoKey;
const valid = { scope: "openid", login_hint: ALICE };
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

beforeAll(async () => {
  provider = await startTestProvider();
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  signingKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" } as JWK & { kty: string };
  await createClient(provider, "jwt-client", "poll", { tokenEndpointAuthMethod: "private_key_jwt", secretHash: null, jwks: { keys: [jwk] } });
  await createClient(provider, "post-client", "poll", { tokenEndpointAuthMethod: "client_secret_post" });
});
afterAll(() => provider.close());

function assertion(claims: Record<string, unknown> = {}, key = signingKey) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: "jwt-client", sub: "jwt-client", aud: provider.issuer, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(key);
}

const ba = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  postForm(url(provider, "/backchannel-authentication"), params, headers);

function expectInvalidClient(response: { status: number; body: unknown; headers: Headers }, description: string) {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({ error: "invalid_client", error_description: description });
  expect(response.headers.get("www-authenticate")).toBe('Basic realm="ciba"');
  expect(response.headers.get("cache-control")).toBe("no-store");
}

describe("client authentication at the backchannel authentication endpoint", () => {
  it("accepts client_secret_basic", async () => {
    expect((await backchannelAuthenticate(provider, valid)).status).toBe(200);
  });

  it("accepts client_secret_post", async () => {
    const response = await ba({ ...valid, client_id: "post-client", client_secret: DEMO_CLIENT_SECRET });
    expect(response.status).toBe(200);
  });

  it.each([
    ["the issuer", () => provider.issuer],
    ["the token endpoint", () => `${provider.issuer}/token`],
    ["the backchannel authentication endpoint", () => `${provider.issuer}/backchannel-authentication`],
  ])("accepts private_key_jwt with aud = %s", async (_name, aud) => {
    const response = await ba({ ...valid, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion({ aud: aud() }) });
    expect(response.status).toBe(200);
  });

  it("refuses a request without credentials", async () => {
    expectInvalidClient(await ba(valid), "client authentication is required: no client credentials");
  });

  it("refuses a client_id without a secret", async () => {
    expectInvalidClient(await ba({ ...valid, client_id: "demo-poll" }), "client authentication is required");
  });

  it("refuses a wrong secret", async () => {
    expectInvalidClient(await backchannelAuthenticate(provider, valid, "demo-poll", "wrong"), "client authentication failed: wrong client secret");
  });

  it("refuses an unknown client", async () => {
    expectInvalidClient(await backchannelAuthenticate(provider, valid, "nobody"), "client authentication failed: unknown client");
  });

  it("refuses malformed Basic credentials", async () => {
    expectInvalidClient(await ba(valid, { authorization: "Basic !!!" }), "the Authorization header is not valid Basic credentials");
  });

  it("refuses a method other than the registered one", async () => {
    const response = await ba({ ...valid, client_id: "demo-poll", client_secret: DEMO_CLIENT_SECRET });
    expectInvalidClient(response, "the client is registered for client_secret_basic, not client_secret_post");
  });

  it("refuses two authentication methods at once with invalid_request", async () => {
    const response = await ba({ ...valid, client_id: "demo-poll", client_secret: DEMO_CLIENT_SECRET }, { authorization: basic("demo-poll", DEMO_CLIENT_SECRET) });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "invalid_request", error_description: "more than one client authentication method is used" });
  });

  it("refuses a client_id that differs from the Basic credentials", async () => {
    const response = await ba({ ...valid, client_id: "demo-ping" }, { authorization: basic("demo-poll", DEMO_CLIENT_SECRET) });
    expectInvalidClient(response, "client_id does not match the Basic credentials");
  });

  it("refuses an assertion for a foreign audience", async () => {
    const response = await ba({ ...valid, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion({ aud: "https://evil.example" }) });
    expectInvalidClient(response, "client_assertion has an invalid aud claim");
  });

  it("refuses a replayed assertion jti", async () => {
    const jwt = await assertion();
    expect((await ba({ ...valid, client_assertion_type: ASSERTION_TYPE, client_assertion: jwt })).status).toBe(200);
    expectInvalidClient(
      await ba({ ...valid, client_assertion_type: ASSERTION_TYPE, client_assertion: jwt }),
      "client_assertion jti has already been used",
    );
  });

  it("refuses an assertion signed with another key", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const response = await ba({ ...valid, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion({}, privateKey) });
    expectInvalidClient(response, "client_assertion signature is invalid");
  });

  it("refuses an expired assertion", async () => {
    const response = await ba({ ...valid, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion({ exp: Math.floor(Date.now() / 1000) - 120 }) });
    expectInvalidClient(response, "client_assertion has expired");
  });

  it("refuses a wrong client_assertion_type", async () => {
    const response = await ba({ ...valid, client_assertion_type: "urn:other", client_assertion: await assertion() });
    expectInvalidClient(response, "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  });

  it("checks client authentication before anything else in the request", async () => {
    const response = await ba({ login_hint: ALICE, id_token_hint: "x" }, { authorization: basic("demo-poll", "wrong") });
    expect(response.status).toBe(401);
    expect((response.body as { error: string }).error).toBe("invalid_client");
  });
});
