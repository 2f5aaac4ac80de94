// CIBA Core §7.1.1 signed authentication requests: the `request` JWT carries the parameters and
// aud, iss, exp, iat, nbf and jti; every failure is 400 invalid_request with a precise description
// (the conformance suite's FAPI-CIBA-ID1 negative request-object tests, for a non-FAPI client here;
// the FAPI-only rules are in test/fapi-ciba).
import { demoUsers } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, BOB, approveAsUser, createClient, url } from "../support/flows";
import { type JsonResponse, postForm } from "../support/http";
import { assertionParams, type ClientKey, clientKey, corruptSignature, jwksOf, signedRequest, unsignedJwt } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";

const [alice, bob] = demoUsers;
let provider: TestProvider;
let signerKey: ClientKey;
let otherKey: ClientKey;

beforeAll(async () => {
  provider = await startTestProvider();
  signerKey = await clientKey("ES256");
  otherKey = await clientKey("ES256");
  await createClient(provider, "signer", "poll", {
    tokenEndpointAuthMethod: "private_key_jwt",
    secretHash: null,
    jwks: jwksOf(signerKey),
    requestSigningAlg: "ES256",
  });
  await createClient(provider, "other-signer", "poll", {
    tokenEndpointAuthMethod: "private_key_jwt",
    secretHash: null,
    jwks: jwksOf(otherKey),
    requestSigningAlg: "ES256",
  });
});
afterAll(() => provider.close());

/** A BA request from `signer`, authenticated with private_key_jwt, carrying `request`. */
async function send(request: string | undefined, outer: Record<string, string> = {}, clientId = "signer", key = signerKey) {
  const params: Record<string, string> = { ...(await assertionParams(key, clientId, provider.issuer)), ...outer };
  if (request !== undefined) params.request = request;
  return postForm(url(provider, "/backchannel-authentication"), params);
}

const sign = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  signedRequest(signerKey, "signer", provider.issuer, { login_hint: ALICE, ...claims }, header);

function expectInvalidRequest(response: JsonResponse, description: string) {
  expect(response.status).toBe(400);
  expect(response.body).toEqual({ error: "invalid_request", error_description: description });
  expect(response.headers.get("cache-control")).toBe("no-store");
}

describe("a signed authentication request", () => {
  it("is accepted from a private_key_jwt client and leads to tokens for the user it names", async () => {
    const response = await send(await sign({ scope: "openid email", binding_message: "W4RP" }));
    expect(response.status).toBe(200);
    const authReqId = response.body.auth_req_id as string;
    const stored = await provider.deps.repos.authRequests.findByAuthReqId(authReqId);
    expect(stored).toMatchObject({ userId: alice.sub, scope: "openid email", bindingMessage: "W4RP", hintType: "login_hint" });

    await approveAsUser(provider, ALICE);
    const token = await postForm(url(provider, "/token"), {
      grant_type: CIBA_GRANT_TYPE,
      auth_req_id: authReqId,
      ...(await assertionParams(signerKey, "signer", `${provider.issuer}/token`)),
    });
    expect(token.status).toBe(200);
    expect(decodeJwt(token.body.id_token as string)).toMatchObject({ sub: alice.sub, aud: "signer" });
  });

  it("ignores authentication request parameters outside the JWT", async () => {
    const response = await send(await sign({ login_hint: ALICE, binding_message: "INSIDE" }), {
      login_hint: BOB,
      binding_message: "OUTSIDE",
      scope: "openid phone",
    });
    expect(response.status).toBe(200);
    const stored = await provider.deps.repos.authRequests.findByAuthReqId(response.body.auth_req_id as string);
    expect(stored).toMatchObject({ userId: alice.sub, bindingMessage: "INSIDE", scope: "openid" });
    expect(stored?.userId).not.toBe(bob.sub);
  });

  it("accepts requested_expiry as a JSON string", async () => {
    const response = await send(await sign({ requested_expiry: "30" }));
    expect(response.status).toBe(200);
    expect(response.body.expires_in).toBe(30);
  });

  it("accepts requested_expiry as a JSON number", async () => {
    const response = await send(await sign({ requested_expiry: 45 }));
    expect(response.status).toBe(200);
    expect(response.body.expires_in).toBe(45);
  });

  it("accepts aud = the backchannel authentication endpoint URL", async () => {
    const response = await send(await sign({ aud: `${provider.issuer}/backchannel-authentication` }));
    expect(response.status).toBe(200);
  });

  it("accepts aud as an array containing the issuer", async () => {
    expect((await send(await sign({ aud: ["https://other.example", provider.issuer] }))).status).toBe(200);
  });

  it("compares the typ header case-insensitively", async () => {
    expect((await send(await sign({}, { typ: "OAUTH-AUTHZ-REQ+JWT" }))).status).toBe(200);
    expect((await send(await sign({}, { typ: "application/oauth-authz-req+jwt" }))).status).toBe(200);
    expect((await send(await sign({}, { typ: "jwt" }))).status).toBe(200);
  });
});

describe("signed authentication request failures are 400 invalid_request", () => {
  it("refuses an unsigned request from a client registered with backchannel_authentication_request_signing_alg", async () => {
    expectInvalidRequest(
      await send(undefined, { scope: "openid", login_hint: ALICE }),
      "this client registered backchannel_authentication_request_signing_alg and must send a signed authentication request (request)",
    );
  });

  it.each(["aud", "iss", "exp", "iat", "nbf", "jti"])("refuses a request without %s", async (claim) => {
    expectInvalidRequest(await send(await sign({ [claim]: undefined })), `request is missing the ${claim} claim`);
  });

  it("refuses an aud that is not this provider", async () => {
    expectInvalidRequest(await send(await sign({ aud: "https://other.example" })), "request has an invalid aud claim");
  });

  it("refuses aud = the token endpoint URL", async () => {
    expectInvalidRequest(await send(await sign({ aud: `${provider.issuer}/token` })), "request has an invalid aud claim");
  });

  it("refuses an iss that is not the authenticated client", async () => {
    expectInvalidRequest(await send(await sign({ iss: "other-signer" })), "request has an invalid iss claim");
  });

  it("refuses an expired request", async () => {
    const now = Math.floor(Date.now() / 1000);
    expectInvalidRequest(await send(await sign({ iat: now - 600, nbf: now - 600, exp: now - 300 })), "request has expired");
  });

  it("refuses an iat in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    expectInvalidRequest(await send(await sign({ iat: now + 600 })), "request was issued in the future (iat)");
  });

  it("refuses an nbf 10 minutes in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    expectInvalidRequest(await send(await sign({ nbf: now + 600, exp: now + 900 })), "request is not valid yet (nbf is in the future)");
  });

  it("refuses exp before nbf", async () => {
    const now = Math.floor(Date.now() / 1000);
    expectInvalidRequest(await send(await sign({ nbf: now, exp: now - 10 })), "request exp must be after nbf");
  });

  it("refuses a replayed jti", async () => {
    const request = await sign({ jti: "once-only" });
    expect((await send(request)).status).toBe(200);
    expectInvalidRequest(await send(request), "request jti has already been used");
  });

  it("refuses a jti that is not a string", async () => {
    expectInvalidRequest(await send(await sign({ jti: 12345 })), "request jti must be a non-empty string of at most 256 characters");
  });

  it("refuses alg none", async () => {
    const now = Math.floor(Date.now() / 1000);
    const request = unsignedJwt({ iss: "signer", aud: provider.issuer, iat: now, nbf: now, exp: now + 300, jti: "n1", scope: "openid", login_hint: ALICE });
    expectInvalidRequest(await send(request), "request must be signed with an asymmetric algorithm, not none");
  });

  it("refuses an HMAC algorithm", async () => {
    const now = Math.floor(Date.now() / 1000);
    const request = unsignedJwt({ iss: "signer", aud: provider.issuer, iat: now, nbf: now, exp: now + 300, jti: "h1" }, { alg: "HS256" });
    expectInvalidRequest(await send(`${request}c2lnbmF0dXJl`), "request must be signed with an asymmetric algorithm, not HS256");
  });

  it("refuses an algorithm other than the registered one", async () => {
    const rsa = await clientKey("PS256", signerKey.kid);
    const request = await signedRequest(rsa, "signer", provider.issuer, { login_hint: ALICE });
    expectInvalidRequest(
      await send(request),
      "request is signed with PS256, which is not allowed: the client registered backchannel_authentication_request_signing_alg ES256",
    );
  });

  it("refuses a corrupted signature", async () => {
    expectInvalidRequest(await send(corruptSignature(await sign())), "request signature is invalid");
  });

  it("refuses a request signed with another client's key", async () => {
    const request = await signedRequest(otherKey, "signer", provider.issuer, { login_hint: ALICE });
    expectInvalidRequest(await send(request), "request is signed with a key the client has not registered");
  });

  it("refuses a request signed with another client's key under this client's kid", async () => {
    const request = await signedRequest({ ...otherKey, kid: signerKey.kid }, "signer", provider.issuer, { login_hint: ALICE });
    expectInvalidRequest(await send(request), "request signature is invalid");
  });

  it("refuses a client_id claim naming another client", async () => {
    expectInvalidRequest(await send(await sign({ client_id: "other-signer" })), "request client_id claim does not match the authenticated client");
  });

  it("refuses a typ that is not a request object type", async () => {
    expectInvalidRequest(await send(await sign({}, { typ: "dpop+jwt" })), "request has typ dpop+jwt; expected oauth-authz-req+jwt or JWT");
  });

  it("refuses an encrypted request object", async () => {
    expectInvalidRequest(await send("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"), "request must be a signed JWT, not an encrypted one");
  });

  it("refuses a request that is not a JWT", async () => {
    expectInvalidRequest(await send("not-a-jwt"), "request is not a valid signed JWT");
  });

  it("refuses a nested request claim", async () => {
    expectInvalidRequest(await send(await sign({ request: "x" })), "request must not contain request or request_uri claims");
  });

  it("refuses request_uri", async () => {
    expectInvalidRequest(await send(undefined, { request_uri: "https://client.example/r/1" }), "request_uri is not supported at the backchannel authentication endpoint");
  });

  it("applies the usual parameter rules to the claims: more than one hint", async () => {
    expectInvalidRequest(
      await send(await sign({ login_hint: ALICE, id_token_hint: "x.y.z" })),
      "only one of login_hint, login_hint_token or id_token_hint must be provided",
    );
  });

  it("applies the usual parameter rules to the claims: a non-string parameter", async () => {
    expectInvalidRequest(await send(await sign({ login_hint: 42 })), "login_hint must be a string");
  });

  it("refuses a request from a client that registered no keys", async () => {
    const request = await signedRequest(signerKey, "demo-poll", provider.issuer, { login_hint: ALICE });
    const response = await postForm(url(provider, "/backchannel-authentication"), { request }, { authorization: `Basic ${Buffer.from("demo-poll:demo-secret").toString("base64")}` });
    expectInvalidRequest(response, "request cannot be verified: the client has registered no keys (jwks or jwks_uri)");
  });

  it("checks client authentication before the request object", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), { client_id: "signer", request: "not-a-jwt" });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("invalid_client");
  });
});
