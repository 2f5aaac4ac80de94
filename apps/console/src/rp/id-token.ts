// ID token validation with jose, as OIDC Core §3.1.3.7 asks and CIBA Core §10.3.1 adds for push:
// signature against the provider's JWKS, iss, aud (and azp), exp and iat, then the hashes that bind the
// ID token to the tokens it travels with (at_hash, rt_hash) and to this request (auth_req_id claim).
// Every check is reported, passed or failed, so the inspector can show the whole list.
import { createHash } from "node:crypto";
import { AUTH_REQ_ID_CLAIM, RT_HASH_CLAIM } from "@ciba/protocol";
import { decodeJwt, decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Check, DecodedJwt } from "../shared/flow-view";

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The request the tokens must belong to. */
  authReqId: string;
  accessToken: string;
  refreshToken: string | null;
  /**
   * Push mode (CIBA Core §10.3.1): at_hash and the auth_req_id claim are required, and rt_hash whenever a
   * refresh token came along. In poll and ping mode they are checked only when present.
   */
  requireBindingClaims: boolean;
  algorithms: string[];
  clockToleranceSeconds?: number;
  currentDate?: Date;
}

export interface ValidatedIdToken {
  claims: JWTPayload;
  decoded: DecodedJwt;
  checks: Check[];
}

/** The ID token failed a check; `checks` lists every check run, the failing one last. */
export class IdTokenValidationError extends Error {
  override readonly name = "IdTokenValidationError";

  constructor(
    message: string,
    readonly checks: Check[],
    readonly decoded: DecodedJwt | null,
  ) {
    super(message);
  }
}

const hashAlgorithms: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

/** Left-most half of the hash of the token's ASCII octets, base64url (OIDC Core §3.3.2.11). */
export function tokenHash(token: string, alg: string): string {
  const algorithm = hashAlgorithms[alg.slice(-3)];
  if (!algorithm) throw new TypeError(`no hash function for the JWS algorithm ${alg}`);
  const digest = createHash(algorithm).update(token, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

/** Decodes a JWT for display without trusting it (signature status is set by the caller). */
export function decodeForDisplay(label: string, jwt: string): DecodedJwt | null {
  try {
    return {
      label,
      header: decodeProtectedHeader(jwt),
      claims: decodeJwt(jwt),
      signature: { status: "unchecked", detail: "not verified by the console" },
    };
  } catch {
    return null;
  }
}

function signatureFailure(error: unknown, expected: IdTokenExpectations): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the signature does not verify with the provider's key";
  if (error instanceof errors.JWKSNoMatchingKey) return "no key in the provider's JWKS matches the token's kid and alg";
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token is signed with an algorithm the provider does not advertise";
  if (error instanceof errors.JWTExpired) return "the token has expired (exp is in the past)";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return `iss is not the provider's issuer ${expected.issuer}`;
    if (error.claim === "aud") return `aud does not contain this client (${expected.clientId})`;
    if (error.reason === "missing") return `the required claim ${error.claim} is missing`;
    return `claim ${error.claim} is invalid (${error.reason})`;
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "the token is not a well-formed JWS";
  if (error instanceof errors.JOSEError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export async function validateIdToken(
  idToken: string,
  keys: JWTVerifyGetKey,
  expected: IdTokenExpectations,
): Promise<ValidatedIdToken> {
  const checks: Check[] = [];
  const decoded = decodeForDisplay("ID token", idToken);
  const fail = (label: string, detail: string): never => {
    checks.push({ label, ok: false, detail });
    if (decoded) decoded.signature = signatureStatus(checks);
    throw new IdTokenValidationError(`ID token rejected: ${detail}`, checks, decoded);
  };
  if (!decoded) fail("Well-formed JWT", "the ID token is not a compact JWS");
  const alg = typeof decoded!.header.alg === "string" ? decoded!.header.alg : "none";
  const kid = typeof decoded!.header.kid === "string" ? decoded!.header.kid : "(no kid)";

  // Signature, iss, aud, exp and iat in one jose call; its error says which one failed.
  let payload: JWTPayload;
  try {
    const verified = await jwtVerify(idToken, keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: expected.algorithms,
      requiredClaims: ["iss", "sub", "aud", "exp", "iat"],
      clockTolerance: expected.clockToleranceSeconds ?? 5,
      currentDate: expected.currentDate,
    });
    payload = verified.payload;
  } catch (error) {
    const label = error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired ? "Claims" : "Signature";
    if (label === "Claims") checks.push({ label: "Signature", ok: true, detail: `${alg} signature verified with the provider's JWKS` });
    return fail(label, signatureFailure(error, expected));
  }
  checks.push({ label: "Signature", ok: true, detail: `${alg} signature verified with key ${kid} from the provider's JWKS` });
  checks.push({ label: "Issuer (iss)", ok: true, detail: `is ${expected.issuer}` });
  checks.push({ label: "Audience (aud)", ok: true, detail: `contains ${expected.clientId}` });

  // OIDC Core §3.1.3.7 (4, 5): with several audiences, azp must name this client.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.length > 1 && payload.azp !== expected.clientId) fail("Authorized party (azp)", "several audiences but azp is not this client");
  checks.push({ label: "Expiry (exp, iat)", ok: true, detail: `valid until ${new Date(payload.exp! * 1000).toISOString()}` });

  checkHash(checks, fail, "at_hash", payload.at_hash, expected.accessToken, alg, expected.requireBindingClaims, "access token");
  if (expected.refreshToken !== null) {
    checkHash(checks, fail, RT_HASH_CLAIM, payload[RT_HASH_CLAIM], expected.refreshToken, alg, expected.requireBindingClaims, "refresh token");
  }

  const authReqIdClaim = payload[AUTH_REQ_ID_CLAIM];
  if (authReqIdClaim === undefined) {
    if (expected.requireBindingClaims) fail("auth_req_id claim", `${AUTH_REQ_ID_CLAIM} is missing (required in push mode)`);
    checks.push({ label: "auth_req_id claim", ok: true, detail: "absent (optional outside push mode)" });
  } else if (authReqIdClaim !== expected.authReqId) {
    fail("auth_req_id claim", `${AUTH_REQ_ID_CLAIM} names a different authentication request`);
  } else {
    checks.push({ label: "auth_req_id claim", ok: true, detail: "matches this request's auth_req_id" });
  }

  decoded!.signature = signatureStatus(checks);
  return { claims: payload, decoded: decoded!, checks };
}

function checkHash(
  checks: Check[],
  fail: (label: string, detail: string) => never,
  claim: string,
  value: unknown,
  token: string,
  alg: string,
  required: boolean,
  tokenName: string,
) {
  const label = claim === "at_hash" ? "Access token hash (at_hash)" : "Refresh token hash (rt_hash)";
  if (value === undefined) {
    if (required) fail(label, `${claim} is missing (required in push mode)`);
    checks.push({ label, ok: true, detail: "absent (optional outside push mode)" });
    return;
  }
  if (value !== tokenHash(token, alg)) fail(label, `${claim} does not match the ${tokenName}`);
  checks.push({ label, ok: true, detail: `matches the ${tokenName}` });
}

function signatureStatus(checks: Check[]): DecodedJwt["signature"] {
  const signature = checks.find((c) => c.label === "Signature");
  if (!signature) return { status: "unchecked", detail: "not verified" };
  return { status: signature.ok ? "verified" : "invalid", detail: signature.detail };
}
