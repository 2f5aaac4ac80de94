// Token issuance shared by the CIBA grant, the refresh grant and push delivery: an access token, a
// rotated refresh token when the client may refresh, and an ID token binding both.
import { type AuthRequest, type Client, type Grant, hashToken, randomToken, type Repositories } from "@ciba/db";
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

/**
 * Redeems an approved request inside the caller's transaction: marks it consumed (of concurrent
 * callers exactly one wins), creates its grant and issues the tokens. Null when it was already consumed.
 * The token endpoint (poll, ping) and push delivery both issue through here.
 */
export async function redeemApprovedRequest(
  deps: ProviderDeps,
  repos: Repositories,
  input: { client: Client; request: AuthRequest; now: Date; dpopJkt: string | null },
): Promise<TokenResponse | null> {
  const { client, request, now, dpopJkt } = input;
  if (!(await repos.authRequests.consume(request.id, now))) return null;
  const grant = await repos.grants.create({
    id: randomToken(16),
    clientId: client.clientId,
    userId: request.userId,
    authRequestId: request.id,
    scope: request.scope,
    authorizationDetails: request.authorizationDetails,
    acr: request.acr,
    amr: request.amr,
    authTime: request.authTime ?? now,
  });
  return issueTokens(deps, repos, { client, grant, scope: request.scope, authReqId: request.authReqId, dpopJkt });
}

/** The protocol event for issued tokens, however they reached the client. */
export async function recordTokensIssued(
  deps: ProviderDeps,
  request: AuthRequest,
  tokens: TokenResponse,
  via: "token_endpoint" | "push",
): Promise<void> {
  await deps.events.record("tokens.issued", request, {
    via,
    token_type: tokens.token_type,
    scope: tokens.scope ?? request.scope,
    refresh_token: tokens.refresh_token !== undefined,
  });
}
