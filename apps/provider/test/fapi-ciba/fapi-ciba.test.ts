// The FAPI-CIBA profile per client (registered with "fapi_ciba": true), after the OpenID conformance
// suite's FAPI-CIBA-ID1 plan: signed requests mandatory, PS256/ES256 only (request objects, client
// assertions, ID tokens), exp - nbf at most 60 minutes and nbf at most 60 minutes old, aud the issuer,
// private_key_jwt, no push, a binding message or authorization details, and the wrong client refused
// at both endpoints.
import { CIBA_GRANT_TYPE, type ClientRegistrationResponse, REFRESH_TOKEN_GRANT_TYPE } from "@ciba/protocol";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, BOB, approveAsUser, url } from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { assertionParams, type ClientKey, clientKey, jwksOf, nowSeconds, signedRequest, unsignedJwt } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";
import { register, registerClient } from "../support/registration";

let provider: TestProvider;
let keyA: ClientKey;
let keyB: ClientKey;
let fapiA: ClientRegistrationResponse;
let fapiB: ClientRegistrationResponse;

const fapiMetadata = (key: ClientKey, extra: Record<string, unknown> = {}) => ({
  client_name: "FAPI-CIBA bank",
  fapi_ciba: true,
  grant_types: [CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE],
  backchannel_token_delivery_mode: "poll",
  token_endpoint_auth_method: "private_key_jwt",
  backchannel_authentication_request_signing_alg: key.alg,
  jwks: jwksOf(key),
  ...extra,
});

beforeAll(async () => {
  provider = await startTestProvider({ env: { CIBA_POLL_INTERVAL: "1" } });
  keyA = await clientKey("PS256");
  keyB = await clientKey("ES256");
  fapiA = await registerClient(provider, fapiMetadata(keyA));
  fapiB = await registerClient(provider, fapiMetadata(keyB));
});
afterAll(() => provider.close());

/** A BA request of FAPI client A: private_key_jwt plus `request`. */
async function send(request: string | undefined, outer: Record<string, string> = {}, key = keyA, clientId = fapiA.client_id) {
  const params: Record<string, string> = { ...(await assertionParams(key, clientId, provider.issuer)), ...outer };
  if (request !== undefined) params.request = request;
  return postForm(url(provider, "/backchannel-authentication"), params);
}

const signA = (claims: Record<string, unknown> = {}) =>
  signedRequest(keyA, fapiA.client_id, provider.issuer, { scope: "openid", login_hint: ALICE, binding_message: "FAPI1", ...claims });

async function tokenRequest(params: Record<string, string>, key = keyA, clientId = fapiA.client_id) {
  return postForm(url(provider, "/token"), { ...params, ...(await assertionParams(key, clientId, provider.issuer)) });
}

function expectError(response: JsonResponse, status: number, error: string, description: string) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error, error_description: description });
}

describe("FAPI-CIBA registration", () => {
  it("registers a FAPI-CIBA client with PS256 ID tokens by default", () => {
    expect(fapiA).toMatchObject({ fapi_ciba: true, id_token_signed_response_alg: "PS256", backchannel_authentication_request_signing_alg: "PS256" });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["push mode", { backchannel_token_delivery_mode: "push", backchannel_client_notification_endpoint: "http://127.0.0.1:4999/push" }, "FAPI-CIBA clients may not use push mode"],
    ["a client secret method", { token_endpoint_auth_method: "client_secret_basic" }, "FAPI-CIBA clients must use private_key_jwt"],
    ["a public client", { token_endpoint_auth_method: "none" }, "token_endpoint_auth_method none is not allowed: CIBA clients must authenticate"],
    ["no request signing alg", { backchannel_authentication_request_signing_alg: undefined }, "FAPI-CIBA clients must register backchannel_authentication_request_signing_alg (PS256 or ES256)"],
    ["RS256 request objects", { backchannel_authentication_request_signing_alg: "RS256" }, "backchannel_authentication_request_signing_alg must be PS256 or ES256 for FAPI-CIBA clients"],
    ["RS256 client assertions", { token_endpoint_auth_signing_alg: "RS256" }, "token_endpoint_auth_signing_alg must be PS256 or ES256 for FAPI-CIBA clients"],
    ["RS256 ID tokens", { id_token_signed_response_alg: "RS256" }, "id_token_signed_response_alg must be PS256 or ES256 for FAPI-CIBA clients"],
  ])("refuses %s", async (_name, extra, description) => {
    const metadata: Record<string, unknown> = fapiMetadata(keyA, extra);
    for (const [name, value] of Object.entries(metadata)) if (value === undefined) delete metadata[name];
    expectError(await register(provider, metadata), 400, "invalid_client_metadata", description);
  });
});

describe("a FAPI-CIBA flow", () => {
  it("runs with a PS256 signed request and private_key_jwt, and issues PS256 ID tokens and refreshable tokens", async () => {
    const started = await send(await signA());
    expect(started.status).toBe(200);
    await approveAsUser(provider, ALICE);
    const tokens = await tokenRequest({ grant_type: CIBA_GRANT_TYPE, auth_req_id: started.body.auth_req_id as string });
    expect(tokens.status).toBe(200);
    const { protectedHeader, payload } = await jwtVerify(tokens.body.id_token as string, createRemoteJWKSet(new URL(url(provider, "/jwks"))), {
      issuer: provider.issuer,
      audience: fapiA.client_id,
    });
    expect(protectedHeader.alg).toBe("PS256");
    expect(payload.acr).toBe("urn:ciba:acr:possession+knowledge");

    const refreshed = await tokenRequest({ grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: tokens.body.refresh_token as string });
    expect(refreshed.status).toBe(200);
  });

  it("accepts exp - nbf of exactly 60 minutes", async () => {
    const now = nowSeconds();
    expect((await send(await signA({ nbf: now, exp: now + 3600 }))).status).toBe(200);
  });

  it("accepts authorization_details in place of a binding message", async () => {
    const details = [{ type: "payment_initiation", instructedAmount: { currency: "EUR", amount: "10.00" }, creditorName: "Merchant A" }];
    expect((await send(await signA({ binding_message: undefined, authorization_details: details }))).status).toBe(200);
  });
});

describe("FAPI-CIBA refusals at the backchannel authentication endpoint", () => {
  it("refuses an unsigned request", async () => {
    expectError(
      await send(undefined, { scope: "openid", login_hint: ALICE, binding_message: "FAPI1" }),
      400,
      "invalid_request",
      "FAPI-CIBA clients must send a signed authentication request (request)",
    );
  });

  it("refuses exp 70 minutes after nbf", async () => {
    const now = nowSeconds();
    expectError(await send(await signA({ nbf: now, exp: now + 70 * 60 })), 400, "invalid_request",
      "request lifetime (exp - nbf) must not exceed 60 minutes for FAPI-CIBA clients");
  });

  it("refuses nbf 10 minutes in the future", async () => {
    const now = nowSeconds();
    expectError(await send(await signA({ nbf: now + 600, exp: now + 1200 })), 400, "invalid_request", "request is not valid yet (nbf is in the future)");
  });

  it("refuses nbf 70 minutes in the past", async () => {
    const now = nowSeconds();
    expectError(await send(await signA({ iat: now - 70 * 60, nbf: now - 70 * 60, exp: now + 300 })), 400, "invalid_request",
      "request nbf must not be more than 60 minutes in the past for FAPI-CIBA clients");
  });

  it("refuses an RS256 request object", async () => {
    const rsa = await clientKey("RS256", keyA.kid);
    const request = await signedRequest(rsa, fapiA.client_id, provider.issuer, { login_hint: ALICE, binding_message: "FAPI1" });
    expectError(await send(request), 400, "invalid_request", "request is signed with RS256, which is not allowed: FAPI-CIBA allows PS256 and ES256 only");
  });

  it("refuses alg none", async () => {
    const now = nowSeconds();
    const request = unsignedJwt({ iss: fapiA.client_id, aud: provider.issuer, iat: now, nbf: now, exp: now + 300, jti: "none-1", scope: "openid", login_hint: ALICE });
    expectError(await send(request), 400, "invalid_request", "request must be signed with an asymmetric algorithm, not none");
  });

  it("refuses aud = the backchannel endpoint: FAPI wants the issuer", async () => {
    expectError(await send(await signA({ aud: url(provider, "/backchannel-authentication") })), 400, "invalid_request", "request has an invalid aud claim");
  });

  it("refuses a request signed by another client's key", async () => {
    const stranger = await clientKey("PS256");
    const request = await signedRequest(stranger, fapiA.client_id, provider.issuer, { login_hint: ALICE, binding_message: "FAPI1" });
    expectError(await send(request), 400, "invalid_request", "request is signed with a key the client has not registered");
  });

  it("refuses a request signed by another key under this client's kid", async () => {
    const stranger = await clientKey("PS256", keyA.kid);
    const request = await signedRequest(stranger, fapiA.client_id, provider.issuer, { login_hint: ALICE, binding_message: "FAPI1" });
    expectError(await send(request), 400, "invalid_request", "request signature is invalid");
  });

  it("refuses a request without a binding message or authorization details", async () => {
    expectError(await send(await signA({ binding_message: undefined })), 400, "invalid_request", "binding_message is required for FAPI-CIBA clients");
  });

  it("refuses more than one hint", async () => {
    expectError(await send(await signA({ login_hint: ALICE, login_hint_token: "x.y.z" })), 400, "invalid_request",
      "only one of login_hint, login_hint_token or id_token_hint must be provided");
  });

  it("refuses a client assertion signed RS256", async () => {
    const rsa = await clientKey("RS256", keyA.kid);
    const response = await postForm(url(provider, "/backchannel-authentication"), {
      ...(await assertionParams(rsa, fapiA.client_id, provider.issuer)),
      request: await signA(),
    });
    expectError(response, 401, "invalid_client", "client_assertion is signed with an algorithm that is not allowed");
  });

  it("refuses client_secret_basic", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), { request: await signA() }, { authorization: basic(fapiA.client_id, "guess") });
    expectError(response, 401, "invalid_client", "the client is registered for private_key_jwt, not client_secret_basic");
  });

  it("refuses a request with no client assertion", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), { client_id: fapiA.client_id, request: await signA() });
    expectError(response, 401, "invalid_client", "client authentication is required");
  });

  it("refuses the wrong client: client A's assertion under client B's client_id", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), {
      client_id: fapiB.client_id,
      ...(await assertionParams(keyA, fapiA.client_id, provider.issuer)),
      request: await signA(),
    });
    expectError(response, 401, "invalid_client", "client_assertion is signed with a key the client has not registered");
  });
});

describe("FAPI-CIBA refusals at the token endpoint", () => {
  it("refuses another client's auth_req_id, which its owner can still redeem", async () => {
    const started = await send(await signA({ login_hint: BOB }));
    await approveAsUser(provider, BOB);
    const authReqId = started.body.auth_req_id as string;
    expectError(await tokenRequest({ grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId }, keyB, fapiB.client_id), 400, "invalid_grant",
      "auth_req_id is unknown or was issued to another client");
    expect((await tokenRequest({ grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId })).status).toBe(200);
  });

  it("refuses another client's refresh token", async () => {
    const started = await send(await signA({ login_hint: "carol@example.com" }));
    await approveAsUser(provider, "carol@example.com");
    const tokens = await tokenRequest({ grant_type: CIBA_GRANT_TYPE, auth_req_id: started.body.auth_req_id as string });
    expectError(
      await tokenRequest({ grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: tokens.body.refresh_token as string }, keyB, fapiB.client_id),
      400,
      "invalid_grant",
      "refresh_token is unknown or was issued to another client",
    );
  });

  it("refuses the wrong client: client A's assertion under client B's client_id", async () => {
    const response = await postForm(url(provider, "/token"), {
      grant_type: CIBA_GRANT_TYPE,
      auth_req_id: "whatever",
      client_id: fapiB.client_id,
      ...(await assertionParams(keyA, fapiA.client_id, provider.issuer)),
    });
    expectError(response, 401, "invalid_client", "client_assertion is signed with a key the client has not registered");
  });

  it("refuses a token request with no client assertion", async () => {
    const response = await postForm(url(provider, "/token"), { grant_type: CIBA_GRANT_TYPE, auth_req_id: "whatever", client_id: fapiA.client_id });
    expectError(response, 401, "invalid_client", "client authentication is required");
  });
});
