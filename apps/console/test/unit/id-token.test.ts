// ID token validation (OIDC Core §3.1.3.7, CIBA Core §10.3.1) with locally made keys and tokens: every
// check, passing and failing, with the exact reason the inspector shows.
import { AUTH_REQ_ID_CLAIM, RT_HASH_CLAIM } from "@ciba/protocol";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type IdTokenExpectations, IdTokenValidationError, tokenHash, validateIdToken } from "../../src/rp/id-token";

const issuer = "http://127.0.0.1:4400";
const now = new Date("2026-01-01T12:00:00Z");
const epoch = Math.floor(now.getTime() / 1000);
let keys: ReturnType<typeof createLocalJWKSet>;
let sign: (claims: JWTPayload, alg?: "RS256" | "ES256") => Promise<string>;

beforeAll(async () => {
  const rsa = await generateKeyPair("RS256");
  const ec = await generateKeyPair("ES256");
  keys = createLocalJWKSet({
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
      { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
    ],
  });
  sign = (claims, alg = "RS256") =>
    new SignJWT(claims).setProtectedHeader({ alg, kid: alg === "RS256" ? "rsa-1" : "ec-1", typ: "JWT" }).sign(alg === "RS256" ? rsa.privateKey : ec.privateKey);
});

const accessToken = "access-token-value";
const refreshToken = "refresh-token-value";
const authReqId = "auth-req-id-value";

function claims(overrides: JWTPayload = {}, alg = "RS256"): JWTPayload {
  return {
    iss: issuer,
    sub: "user-1",
    aud: "demo-push",
    iat: epoch,
    exp: epoch + 600,
    auth_time: epoch,
    at_hash: tokenHash(accessToken, alg),
    [RT_HASH_CLAIM]: tokenHash(refreshToken, alg),
    [AUTH_REQ_ID_CLAIM]: authReqId,
    ...overrides,
  };
}

const expected = (overrides: Partial<IdTokenExpectations> = {}): IdTokenExpectations => ({
  issuer,
  clientId: "demo-push",
  authReqId,
  accessToken,
  refreshToken,
  requireBindingClaims: true,
  algorithms: ["RS256", "PS256", "ES256"],
  currentDate: now,
  ...overrides,
});

async function failure(token: string, expectations = expected()): Promise<IdTokenValidationError> {
  const error = await validateIdToken(token, keys, expectations).catch((e: unknown) => e);
  if (!(error instanceof IdTokenValidationError)) throw new Error("expected the ID token to be rejected");
  return error;
}

describe("tokenHash (OIDC Core §3.3.2.11)", () => {
  it("is the base64url left half of SHA-256 for RS256, PS256 and ES256", () => {
    // The access token and at_hash of the example in OIDC Core §A.3.
    expect(tokenHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "RS256")).toBe("77QmUPtjPfzWtF2AnpK9RQ");
    expect(tokenHash("x", "ES256")).toBe(tokenHash("x", "PS256"));
  });

  it("refuses an algorithm without a hash size as a programming error", () => {
    expect(() => tokenHash("x", "none")).toThrow(TypeError);
  });
});

describe("validateIdToken", () => {
  it("accepts a push ID token bound to its tokens and request, listing every check", async () => {
    const result = await validateIdToken(await sign(claims()), keys, expected());
    expect(result.claims.sub).toBe("user-1");
    expect(result.decoded.signature).toEqual({ status: "verified", detail: "RS256 signature verified with key rsa-1 from the provider's JWKS" });
    expect(result.checks.map((c) => `${c.label}: ${c.detail}`)).toEqual([
      "Signature: RS256 signature verified with key rsa-1 from the provider's JWKS",
      `Issuer (iss): is ${issuer}`,
      "Audience (aud): contains demo-push",
      "Expiry (exp, iat): valid until 2026-01-01T12:10:00.000Z",
      "Access token hash (at_hash): matches the access token",
      "Refresh token hash (rt_hash): matches the refresh token",
      "auth_req_id claim: matches this request's auth_req_id",
    ]);
  });

  it("hashes with the signing algorithm's hash (ES256)", async () => {
    const result = await validateIdToken(await sign(claims({}, "ES256"), "ES256"), keys, expected());
    expect(result.checks.every((c) => c.ok)).toBe(true);
  });

  it("rejects a wrong at_hash", async () => {
    const error = await failure(await sign(claims({ at_hash: tokenHash("another access token", "RS256") })));
    expect(error.message).toBe("ID token rejected: at_hash does not match the access token");
    expect(error.checks.at(-1)).toEqual({ label: "Access token hash (at_hash)", ok: false, detail: "at_hash does not match the access token" });
    expect(error.decoded?.signature.status).toBe("verified");
  });

  it("rejects a wrong rt_hash", async () => {
    const error = await failure(await sign(claims({ [RT_HASH_CLAIM]: tokenHash("another refresh token", "RS256") })));
    expect(error.message).toBe(`ID token rejected: ${RT_HASH_CLAIM} does not match the refresh token`);
  });

  it("rejects another request's auth_req_id claim", async () => {
    const error = await failure(await sign(claims({ [AUTH_REQ_ID_CLAIM]: "another-request" })));
    expect(error.message).toBe(`ID token rejected: ${AUTH_REQ_ID_CLAIM} names a different authentication request`);
  });

  it("requires at_hash, rt_hash (with a refresh token) and the auth_req_id claim in push mode", async () => {
    expect((await failure(await sign(claims({ at_hash: undefined })))).message).toBe("ID token rejected: at_hash is missing (required in push mode)");
    expect((await failure(await sign(claims({ [RT_HASH_CLAIM]: undefined })))).message).toBe(
      `ID token rejected: ${RT_HASH_CLAIM} is missing (required in push mode)`,
    );
    expect((await failure(await sign(claims({ [AUTH_REQ_ID_CLAIM]: undefined })))).message).toBe(
      `ID token rejected: ${AUTH_REQ_ID_CLAIM} is missing (required in push mode)`,
    );
  });

  it("accepts their absence in poll and ping mode, and no rt_hash check without a refresh token", async () => {
    const token = await sign(claims({ at_hash: undefined, [RT_HASH_CLAIM]: undefined, [AUTH_REQ_ID_CLAIM]: undefined }));
    const result = await validateIdToken(token, keys, expected({ requireBindingClaims: false, refreshToken: null }));
    expect(result.checks.slice(4).map((c) => `${c.label}: ${c.detail}`)).toEqual([
      "Access token hash (at_hash): absent (optional outside push mode)",
      "auth_req_id claim: absent (optional outside push mode)",
    ]);
  });

  it("rejects a foreign signature", async () => {
    const foreign = await generateKeyPair("RS256");
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: "rsa-1" }).sign(foreign.privateKey);
    const error = await failure(token);
    expect(error.checks).toEqual([{ label: "Signature", ok: false, detail: "the signature does not verify with the provider's key" }]);
    expect(error.decoded?.signature).toEqual({ status: "invalid", detail: "the signature does not verify with the provider's key" });
  });

  it("rejects a key id the JWKS does not have", async () => {
    const foreign = await generateKeyPair("RS256");
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: "unknown" }).sign(foreign.privateKey);
    expect((await failure(token)).message).toBe("ID token rejected: no key in the provider's JWKS matches the token's kid and alg");
  });

  it("rejects an algorithm the provider does not advertise", async () => {
    const error = await failure(await sign(claims()), expected({ algorithms: ["PS256"] }));
    expect(error.message).toBe("ID token rejected: the token is signed with an algorithm the provider does not advertise");
  });

  it("rejects the wrong issuer, audience and an expired token", async () => {
    expect((await failure(await sign(claims({ iss: "https://evil.example" })))).message).toBe(`ID token rejected: iss is not the provider's issuer ${issuer}`);
    expect((await failure(await sign(claims({ aud: "demo-poll" })))).message).toBe("ID token rejected: aud does not contain this client (demo-push)");
    expect((await failure(await sign(claims({ sub: undefined })))).message).toBe("ID token rejected: the required claim sub is missing");
    expect((await failure(await sign(claims({ exp: epoch - 60 })))).message).toBe("ID token rejected: the token has expired (exp is in the past)");
  });

  it("requires azp to name the client when there are several audiences", async () => {
    const error = await failure(await sign(claims({ aud: ["demo-push", "someone-else"] })));
    expect(error.message).toBe("ID token rejected: several audiences but azp is not this client");
    const ok = await validateIdToken(await sign(claims({ aud: ["demo-push", "someone-else"], azp: "demo-push" })), keys, expected());
    expect(ok.claims.azp).toBe("demo-push");
  });

  it("rejects something that is not a JWT", async () => {
    const error = await failure("not-a-jwt");
    expect(error.checks).toEqual([{ label: "Well-formed JWT", ok: false, detail: "the ID token is not a compact JWS" }]);
  });
});
