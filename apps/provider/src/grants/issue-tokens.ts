// Token issuance shared by the CIBA grant, the refresh grant and push delivery: an access token, a
// rotated refresh token when the client may refresh, and an ID token binding both.
import { type Client, type Grant, hashToken, randomToken, type Repositories } from "@ciba/db";
import { REFRESH_TOKEN_GRANT_TYPE, type TokenResponse } from "@ciba/protocol";
import type { ProviderDeps } from "../deps";
import { signAccessToken } from "../tokens/access-token";
import { signIdToken } from "../tokens/id-token";

export interface IssueInput {
  client: Client;
  grant: Grant;
  scope: string;
  authReqId: string | null;
  dpopJkt: string | null;
}

/** Refresh tokens go to clients registered for the refresh_token grant (CIBA Core §14 leaves it open). */
export function mayRefresh(client: Client): boolean {
  return client.grantTypes.includes(REFRESH_TOKEN_GRANT_TYPE);
}

/**
 * Signs the tokens and stores the refresh token through `repos` (pass a transaction's repositories
 * so the refresh token commits with the redemption).
 */
export async function issueTokens(deps: ProviderDeps, repos: Repositories, input: IssueInput): Promise<TokenResponse> {
  const { client, grant, scope, authReqId, dpopJkt } = input;
  const accessToken = await signAccessToken(deps, client, grant, scope, dpopJkt);
  let refreshToken: string | null = null;
  if (mayRefresh(client)) {
    refreshToken = randomToken(32);
    await repos.grants.createRefreshToken({
      id: randomToken(12),
      tokenHash: hashToken(refreshToken),
      grantId: grant.id,
      dpopJkt,
      expiresAt: new Date(deps.clock.now().getTime() + deps.config.tokens.refreshTokenSeconds * 1000),
    });
  }
  const idToken = await signIdToken(deps, { client, grant, accessToken, refreshToken, authReqId });
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: dpopJkt ? "DPoP" : "Bearer",
    expires_in: deps.config.tokens.accessTokenSeconds,
    id_token: idToken,
    scope,
  };
  if (refreshToken) response.refresh_token = refreshToken;
  if (grant.authorizationDetails) response.authorization_details = grant.authorizationDetails;
  return response;
}
