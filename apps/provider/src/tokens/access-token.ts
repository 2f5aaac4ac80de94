// Access tokens as signed JWTs (RFC 9068), verified at userinfo against the provider's own keys and
// the grant they came from (a revoked grant kills its access tokens).
import type { Client, Grant } from "@ciba/db";
import { type JWTPayload, jwtVerify, SignJWT } from "jose";
import { randomToken } from "@ciba/db";
import { epochSeconds } from "../clock";
import type { ProviderDeps } from "../deps";

export const ACCESS_TOKEN_TYPE = "at+jwt";
const ACCESS_TOKEN_ALG = "RS256";

export interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  scope: string;
  grant_id: string;
  auth_time: number;
  acr?: string;
  cnf?: { jkt: string };
  authorization_details?: unknown[];
}

export async function signAccessToken(
  deps: ProviderDeps,
  client: Client,
  grant: Grant,
  scope: string,
  dpopJkt: string | null,
): Promise<string> {
  const { kid, key } = deps.keystore.signingKey(ACCESS_TOKEN_ALG);
  const now = epochSeconds(deps.clock.now());
  const claims: Omit<AccessTokenClaims, "iss" | "sub" | "aud" | "iat" | "exp" | "jti"> = {
    client_id: client.clientId,
    scope,
    grant_id: grant.id,
    auth_time: epochSeconds(grant.authTime),
  };
  if (grant.acr) claims.acr = grant.acr;
  if (dpopJkt) claims.cnf = { jkt: dpopJkt };
  if (grant.authorizationDetails) claims.authorization_details = grant.authorizationDetails;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(deps.config.issuer)
    .setSubject(grant.userId)
    .setAudience(deps.config.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + deps.config.tokens.accessTokenSeconds)
    .setJti(randomToken(16))
    .sign(key);
}

/** Verifies signature, type, issuer, audience and expiry; throws jose errors on failure. */
export async function verifyAccessToken(deps: ProviderDeps, token: string): Promise<AccessTokenClaims> {
  const { payload } = await jwtVerify<AccessTokenClaims>(token, deps.keystore.verificationKeys, {
    issuer: deps.config.issuer,
    audience: deps.config.issuer,
    typ: ACCESS_TOKEN_TYPE,
    algorithms: [ACCESS_TOKEN_ALG],
    currentDate: deps.clock.now(),
    requiredClaims: ["sub", "exp", "grant_id", "scope"],
  });
  return payload;
}
