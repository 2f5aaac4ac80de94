// ID tokens (OIDC Core §2), signed with the client's registered algorithm. In CIBA they also bind the
// tokens they travel with: at_hash, and rt_hash plus the auth_req_id claim (CIBA Core §10.3.1).
import type { Client, Grant } from "@ciba/db";
import { AUTH_REQ_ID_CLAIM, RT_HASH_CLAIM, type SigningAlg } from "@ciba/protocol";
import { SignJWT } from "jose";
import { epochSeconds } from "../clock";
import type { ProviderDeps } from "../deps";
import { tokenHash } from "./hashes";

export interface IdTokenInput {
  client: Client;
  grant: Grant;
  accessToken: string;
  refreshToken: string | null;
  authReqId: string | null;
}

export async function signIdToken(deps: ProviderDeps, input: IdTokenInput): Promise<string> {
  const { client, grant, accessToken, refreshToken, authReqId } = input;
  const alg = client.idTokenSignedResponseAlg as SigningAlg;
  const { kid, key } = deps.keystore.signingKey(alg);
  const now = epochSeconds(deps.clock.now());
  const claims: Record<string, unknown> = {
    auth_time: epochSeconds(grant.authTime),
    at_hash: tokenHash(accessToken, alg),
  };
  if (grant.acr) claims.acr = grant.acr;
  if (grant.amr) claims.amr = grant.amr;
  if (authReqId) claims[AUTH_REQ_ID_CLAIM] = authReqId;
  if (refreshToken) claims[RT_HASH_CLAIM] = tokenHash(refreshToken, alg);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid, typ: "JWT" })
    .setIssuer(deps.config.issuer)
    .setSubject(grant.userId)
    .setAudience(client.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + deps.config.tokens.idTokenSeconds)
    .sign(key);
}
