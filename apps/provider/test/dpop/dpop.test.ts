// RFC 9449 DPoP: a proof at the token endpoint binds the CIBA grant's tokens (cnf.jkt, token_type DPoP);
// userinfo then wants the DPoP scheme with a proof by the same key carrying the token's hash; refreshes
// stay DPoP-bound. Every proof check of §4.3 has a refusal test.
import { DEMO_CLIENT_SECRET, demoUsers } from "@ciba/db";
import { CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE } from "@ciba/protocol";
import { calculateJwkThumbprint, decodeJwt, exportJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dpopProof } from "../support/dpop";
import { ALICE, approveAsUser, createClient, startRequest, url } from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { type ClientKey, clientKey, corruptSignature, unsignedJwt } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";

const alice = demoUsers[0];
let provider: TestProvider;
let key: ClientKey;
let otherKey: ClientKey;
let jkt: string;
let tokenUrl: string;
let userinfoUrl: string;

beforeAll(async () => {
  provider = await startTestProvider();
  key = await clientKey("ES256");
  otherKey = await clientKey("PS256");
  jkt = await calculateJwkThumbprint(await exportJWK(key.publicKey));
  tokenUrl = url(provider, "/token");
  userinfoUrl = url(provider, "/userinfo");
  await createClient(provider, "dpop-only", "poll", { dpopBoundAccessTokens: true });
});
afterAll(() => provider.close());

/** An approved request of demo-poll for Alice, ready to redeem. */
async function approvedRequest(clientId = "demo-poll"): Promise<string> {
  const { auth_req_id } = await startRequest(provider, ALICE, clientId);
  await approveAsUser(provider, ALICE);
  return auth_req_id;
}

async function redeem(authReqId: string, proof?: string, clientId = "demo-poll"): Promise<JsonResponse> {
  const headers: Record<string, string> = { authorization: basic(clientId, DEMO_CLIENT_SECRET) };
  if (proof !== undefined) headers.dpop = proof;
  return postForm(tokenUrl, { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId }, headers);
}

async function dpopTokens(): Promise<{ access_token: string; refresh_token: string; token_type: string }> {
  const response = await redeem(await approvedRequest(), await dpopProof(key, { htu: tokenUrl }));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { access_token: string; refresh_token: string; token_type: string };
}

function userinfo(accessToken: string, proof?: string, scheme = "DPoP") {
  const headers: Record<string, string> = { authorization: `${scheme} ${accessToken}` };
  if (proof) headers.dpop = proof;
  return fetch(userinfoUrl, { headers });
}

async function expectProofRefused(response: Response, description: string) {
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ error: "invalid_dpop_proof", error_description: description });
  expect(response.headers.get("www-authenticate")).toBe(
    `DPoP algs="ES256 PS256 RS256", error="invalid_dpop_proof", error_description="${description}"`,
  );
}

describe("DPoP-bound tokens from the CIBA grant", () => {
  it("binds the access token to the proof key and answers token_type DPoP", async () => {
    const tokens = await dpopTokens();
    expect(tokens.token_type).toBe("DPoP");
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
    const stored = await provider.deps.repos.grants.findRefreshTokenByHash((await import("@ciba/db")).hashToken(tokens.refresh_token));
    expect(stored?.dpopJkt).toBe(jkt);
  });

  it("issues bearer tokens without a proof", async () => {
    const response = await redeem(await approvedRequest());
    expect(response.body.token_type).toBe("Bearer");
    expect(decodeJwt(response.body.access_token as string).cnf).toBeUndefined();
  });

  it("is required from a client that registered dpop_bound_access_tokens", async () => {
    const response = await redeem(await approvedRequest("dpop-only"), undefined, "dpop-only");
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: "invalid_dpop_proof",
      error_description: "a DPoP proof is required: the client registered dpop_bound_access_tokens",
    });
  });

  it("is advertised in discovery", async () => {
    const metadata = (await (await fetch(url(provider, "/.well-known/openid-configuration"))).json()) as Record<string, unknown>;
    expect(metadata.dpop_signing_alg_values_supported).toEqual(["ES256", "PS256", "RS256"]);
  });
});

describe("userinfo with a DPoP-bound access token", () => {
  it("answers with the DPoP scheme and a proof carrying ath", async () => {
    const { access_token } = await dpopTokens();
    const response = await userinfo(access_token, await dpopProof(key, { htm: "GET", htu: userinfoUrl, accessToken: access_token }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: alice.sub, email: ALICE });
  });

  it("refuses the token presented as a Bearer token, with a DPoP challenge", async () => {
    const { access_token } = await dpopTokens();
    const response = await userinfo(access_token, undefined, "Bearer");
    expect(response.status).toBe(401);
    const description = "the access token is DPoP-bound: present it with the DPoP scheme and a DPoP proof";
    expect(await response.json()).toEqual({ error: "invalid_token", error_description: description });
    expect(response.headers.get("www-authenticate")).toBe(`DPoP algs="ES256 PS256 RS256", error="invalid_token", error_description="${description}"`);
  });

  it("refuses the DPoP scheme without a proof", async () => {
    const { access_token } = await dpopTokens();
    await expectProofRefused(await userinfo(access_token), "a DPoP proof is required with a DPoP-bound access token");
  });

  it("refuses a proof by another key", async () => {
    const { access_token } = await dpopTokens();
    const proof = await dpopProof(otherKey, { htm: "GET", htu: userinfoUrl, accessToken: access_token });
    await expectProofRefused(await userinfo(access_token, proof), "the DPoP proof is not signed with the key the access token is bound to");
  });

  it("refuses a proof without ath", async () => {
    const { access_token } = await dpopTokens();
    await expectProofRefused(await userinfo(access_token, await dpopProof(key, { htm: "GET", htu: userinfoUrl })), "the DPoP proof is missing the ath claim");
  });

  it("refuses a proof whose ath is another token's", async () => {
    const { access_token } = await dpopTokens();
    const proof = await dpopProof(key, { htm: "GET", htu: userinfoUrl, accessToken: `${access_token}x` });
    await expectProofRefused(await userinfo(access_token, proof), "the DPoP proof ath does not match the access token");
  });

  it("refuses a proof made for another method", async () => {
    const { access_token } = await dpopTokens();
    const proof = await dpopProof(key, { htm: "POST", htu: userinfoUrl, accessToken: access_token });
    await expectProofRefused(await userinfo(access_token, proof), "the DPoP proof htm must be GET");
  });

  it("refuses a replayed proof", async () => {
    const { access_token } = await dpopTokens();
    const proof = await dpopProof(key, { htm: "GET", htu: userinfoUrl, accessToken: access_token });
    expect((await userinfo(access_token, proof)).status).toBe(200);
    await expectProofRefused(await userinfo(access_token, proof), "the DPoP proof jti has already been used");
  });

  it("refuses a bearer token presented with the DPoP scheme", async () => {
    const bearer = (await redeem(await approvedRequest())).body.access_token as string;
    const response = await userinfo(bearer, await dpopProof(key, { htm: "GET", htu: userinfoUrl, accessToken: bearer }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: "invalid_token",
      error_description: "the access token is not DPoP-bound: present it with the Bearer scheme",
    });
  });
});

describe("DPoP proof checks at the token endpoint (400 invalid_dpop_proof)", () => {
  async function expectRefused(proof: string | string[], description: string) {
    const headers = new Headers({ authorization: basic("demo-poll", DEMO_CLIENT_SECRET), "content-type": "application/x-www-form-urlencoded" });
    for (const value of [proof].flat()) headers.append("dpop", value);
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers,
      body: new URLSearchParams({ grant_type: CIBA_GRANT_TYPE, auth_req_id: "never-looked-at" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_dpop_proof", error_description: description });
  }
  const now = () => Math.floor(Date.now() / 1000);

  it("refuses a typ other than dpop+jwt", async () => {
    await expectRefused(await dpopProof(key, { htu: tokenUrl, header: { typ: "JWT" } }), "the DPoP proof typ must be dpop+jwt");
  });

  it("refuses alg none", async () => {
    const proof = unsignedJwt({ jti: "x", htm: "POST", htu: tokenUrl, iat: now() }, { typ: "dpop+jwt", alg: "none", jwk: key.publicJwk });
    await expectRefused(proof, "the DPoP proof must be signed with one of ES256, PS256, RS256, not none");
  });

  it("refuses an HMAC alg", async () => {
    const proof = unsignedJwt({ jti: "x", htm: "POST", htu: tokenUrl, iat: now() }, { typ: "dpop+jwt", alg: "HS256", jwk: key.publicJwk });
    await expectRefused(`${proof}c2ln`, "the DPoP proof must be signed with one of ES256, PS256, RS256, not HS256");
  });

  it("refuses a proof without a jwk header", async () => {
    await expectRefused(await dpopProof(key, { htu: tokenUrl, header: { jwk: undefined } }), "the DPoP proof has no jwk header");
  });

  it("refuses a private key in the jwk header", async () => {
    const privateJwk = await exportJWK(key.privateKey);
    await expectRefused(await dpopProof(key, { htu: tokenUrl, header: { jwk: privateJwk } }), "the DPoP proof jwk must be a public key");
  });

  it("refuses a corrupted signature", async () => {
    await expectRefused(corruptSignature(await dpopProof(key, { htu: tokenUrl })), "DPoP proof signature is invalid");
  });

  it("refuses a proof signed by a key other than its jwk", async () => {
    const jwk = await exportJWK((await clientKey("ES256")).publicKey);
    await expectRefused(await dpopProof(key, { htu: tokenUrl, header: { jwk } }), "DPoP proof signature is invalid");
  });

  it("refuses a proof for another URL", async () => {
    await expectRefused(await dpopProof(key, { htu: userinfoUrl }), `the DPoP proof htu must be ${tokenUrl}`);
  });

  it("accepts htu with a query string, and compares the rest exactly", async () => {
    const response = await redeem(await approvedRequest(), await dpopProof(key, { htu: `${tokenUrl}?x=1` }));
    expect(response.status).toBe(200);
  });

  it("refuses a proof for another method", async () => {
    await expectRefused(await dpopProof(key, { htm: "GET", htu: tokenUrl }), "the DPoP proof htm must be POST");
  });

  it("refuses a proof issued more than 5 minutes ago", async () => {
    await expectRefused(await dpopProof(key, { htu: tokenUrl, claims: { iat: now() - 600 } }), "DPoP proof was issued too long ago (iat)");
  });

  it("refuses a proof issued in the future", async () => {
    await expectRefused(await dpopProof(key, { htu: tokenUrl, claims: { iat: now() + 300 } }), "DPoP proof was issued in the future (iat)");
  });

  it("refuses a proof without jti", async () => {
    await expectRefused(await dpopProof(key, { htu: tokenUrl, claims: { jti: undefined } }), "DPoP proof is missing the jti claim");
  });

  it("refuses a replayed proof", async () => {
    const proof = await dpopProof(key, { htu: tokenUrl });
    expect((await redeem(await approvedRequest(), proof)).status).toBe(200);
    await expectRefused(proof, "the DPoP proof jti has already been used");
  });

  it("refuses two DPoP headers", async () => {
    await expectRefused([await dpopProof(key, { htu: tokenUrl }), await dpopProof(key, { htu: tokenUrl })], "only one DPoP header is allowed");
  });

  it("refuses a header that is not a JWT", async () => {
    await expectRefused("not-a-jwt", "the DPoP proof is not a signed JWT");
  });
});

describe("refreshing DPoP-bound tokens", () => {
  const refresh = (refreshToken: string, proof?: string) =>
    postForm(
      tokenUrl,
      { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: refreshToken },
      { authorization: basic("demo-poll", DEMO_CLIENT_SECRET), ...(proof ? { dpop: proof } : {}) },
    );

  it("keeps the tokens DPoP-bound and refuses a refresh without a proof", async () => {
    const { refresh_token } = await dpopTokens();
    const refused = await refresh(refresh_token);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: "invalid_dpop_proof",
      error_description: "a DPoP proof is required: this refresh token was issued with DPoP-bound tokens",
    });

    const refreshed = await refresh(refresh_token, await dpopProof(key, { htu: tokenUrl }));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token_type).toBe("DPoP");
    expect(decodeJwt(refreshed.body.access_token as string).cnf).toEqual({ jkt });
  });

  it("binds the new access token to the key of the refresh request's proof (RFC 9449 §5, confidential client)", async () => {
    const { refresh_token } = await dpopTokens();
    const refreshed = await refresh(refresh_token, await dpopProof(otherKey, { htu: tokenUrl }));
    expect(refreshed.status).toBe(200);
    const otherJkt = await calculateJwkThumbprint(await exportJWK(otherKey.publicKey));
    expect(decodeJwt(refreshed.body.access_token as string).cnf).toEqual({ jkt: otherJkt });
  });

  it("binds tokens refreshed with a proof even when the first ones were bearer tokens", async () => {
    const bearer = await redeem(await approvedRequest());
    const refreshed = await refresh(bearer.body.refresh_token as string, await dpopProof(key, { htu: tokenUrl }));
    expect(refreshed.body.token_type).toBe("DPoP");
  });
});
