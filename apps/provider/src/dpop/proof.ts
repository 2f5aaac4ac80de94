// DPoP proofs (RFC 9449 §4): a JWT the client signs with a key it holds, sent in the `DPoP` header,
// naming the request it is for. Checked as §4.3 lists: one header, typ dpop+jwt, an asymmetric alg,
// a public `jwk` in the header that verifies the signature, htm and htu of this request, iat within a
// window, a jti never seen before (replay), and at a resource the `ath` hash of the access token.
// The thumbprint of the key (RFC 7638) is what tokens are bound to (`cnf.jkt`).
import { createHash } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, type JWK, type JWTPayload, jwtVerify } from "jose";
import type { Request } from "express";
import { describeJwtFailure } from "../client-auth/jwt-errors";
import type { ProviderDeps } from "../deps";
import { type OAuthError, quote } from "../errors";

/** Algorithms accepted for DPoP proofs (advertised as dpop_signing_alg_values_supported). */
export const dpopSigningAlgs = ["ES256", "PS256", "RS256"] as const;

/** How old a proof's iat may be, and how far ahead of our clock. */
export const DPOP_MAX_AGE_SECONDS = 300;
const DPOP_SKEW_SECONDS = 30;

export interface DpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's public key. */
  jkt: string;
}

export interface ProofExpectations {
  method: string;
  /** The URL the request was made to, as this provider publishes it (not as the Host header says). */
  url: string;
  /** At a protected resource: the access token presented with the proof, for `ath`. */
  accessToken?: string;
  /** How a failure is reported: invalid_dpop_proof, 400 at the token endpoint, 401 at a resource. */
  fail(description: string, cause?: unknown): OAuthError;
}

/** `htu` comparison ignores query and fragment (§4.3 step 9) and URL spelling differences. */
function sameTarget(htu: unknown, expected: string): boolean {
  if (typeof htu !== "string") return false;
  try {
    const a = new URL(htu);
    const b = new URL(expected);
    return a.origin === b.origin && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/** base64url(SHA-256(access token)), the `ath` claim (§4.2). */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest("base64url");
}

/** The proof of this request, verified; null when the request carries no DPoP header. */
export async function verifyDpopProof(deps: ProviderDeps, req: Request, expect: ProofExpectations): Promise<DpopProof | null> {
  const header = req.headers.dpop;
  if (header === undefined) return null;
  // Node joins repeated headers with ", "; a compact JWS never contains a comma.
  if (Array.isArray(header) || header.includes(",")) throw expect.fail("only one DPoP header is allowed");
  const proof = header.trim();
  if (proof.split(".").length !== 3) throw expect.fail("the DPoP proof is not a signed JWT");

  let alg: unknown;
  try {
    const protectedHeader = decodeProtectedHeader(proof);
    alg = protectedHeader.alg;
    if (typeof protectedHeader.typ !== "string" || protectedHeader.typ.toLowerCase() !== "dpop+jwt") {
      throw expect.fail("the DPoP proof typ must be dpop+jwt");
    }
    if (!protectedHeader.jwk || typeof protectedHeader.jwk !== "object") throw expect.fail("the DPoP proof has no jwk header");
    if (["d", "p", "q", "dp", "dq", "qi", "k"].some((member) => Object.hasOwn(protectedHeader.jwk!, member))) {
      throw expect.fail("the DPoP proof jwk must be a public key");
    }
  } catch (error) {
    if ((error as { error?: string }).error) throw error;
    throw expect.fail("the DPoP proof is not a signed JWT", error);
  }
  if (typeof alg !== "string" || !(dpopSigningAlgs as readonly string[]).includes(alg)) {
    throw expect.fail(`the DPoP proof must be signed with one of ${dpopSigningAlgs.join(", ")}, not ${quote(typeof alg === "string" ? alg : "none")}`);
  }

  const now = deps.clock.now();
  let claims: JWTPayload;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: "dpop+jwt",
      algorithms: [...dpopSigningAlgs],
      currentDate: now,
      maxTokenAge: DPOP_MAX_AGE_SECONDS,
      clockTolerance: DPOP_SKEW_SECONDS,
      requiredClaims: ["jti", "htm", "htu", "iat"],
    });
    claims = verified.payload;
    jwk = verified.protectedHeader.jwk!;
  } catch (error) {
    throw expect.fail(describeJwtFailure("DPoP proof", error), error);
  }

  if (claims.htm !== expect.method) throw expect.fail(`the DPoP proof htm must be ${expect.method}`);
  if (!sameTarget(claims.htu, expect.url)) throw expect.fail(`the DPoP proof htu must be ${expect.url}`);
  if (typeof claims.jti !== "string" || !claims.jti || claims.jti.length > 256) {
    throw expect.fail("the DPoP proof jti must be a non-empty string of at most 256 characters");
  }
  if (expect.accessToken !== undefined) {
    if (claims.ath === undefined) throw expect.fail("the DPoP proof is missing the ath claim");
    if (claims.ath !== accessTokenHash(expect.accessToken)) throw expect.fail("the DPoP proof ath does not match the access token");
  }

  const jkt = await calculateJwkThumbprint(jwk, "sha256");
  const keepUntil = new Date((claims.iat! + DPOP_MAX_AGE_SECONDS + DPOP_SKEW_SECONDS) * 1000);
  if (!(await deps.repos.usedJtis.use(`dpop:${jkt}:${claims.jti}`, keepUntil, now))) {
    throw expect.fail("the DPoP proof jti has already been used");
  }
  return { jkt };
}
