// Token issuance shared by the CIBA grant, the refresh grant and push delivery: an access token, a
// rotated refresh token when the client may refresh, and an ID token binding both.
import { type AuthRequest, type Client, type Grant, hashToken, type NewDelivery, type NewRefreshToken, randomToken } from "@ciba/db";
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

export interface IssuedTokens {
  response: TokenResponse;
  /** The refresh token to store (none when the client may not refresh). */
  refreshToken: NewRefreshToken | null;
}

/** Refresh tokens go to clients registered for the refresh_token grant (CIBA Core §14 leaves it open). */
export function mayRefresh(client: Client): boolean {
  return client.grantTypes.includes(REFRESH_TOKEN_GRANT_TYPE);
}

/**
 * Signs the tokens of `grant`. Nothing is stored here: the caller stores the refresh token in the
 * same atomic unit that consumes what is being redeemed, so tokens that lose a race are never stored
 * (and, never sent, are worthless: the grant they name is not stored either, or is revoked).
 */
export async function issueTokens(deps: ProviderDeps, input: IssueInput): Promise<IssuedTokens> {
  const { client, grant, scope, authReqId, dpopJkt } = input;
  const accessToken = await signAccessToken(deps, client, grant, scope, dpopJkt);
  let refreshToken: NewRefreshToken | null = null;
  let refreshTokenValue: string | null = null;
  if (mayRefresh(client)) {
    refreshTokenValue = randomToken(32);
    refreshToken = {
      id: randomToken(12),
      tokenHash: hashToken(refreshTokenValue),
      grantId: grant.id,
      dpopJkt,
      expiresAt: new Date(deps.clock.now().getTime() + deps.config.tokens.refreshTokenSeconds * 1000),
    };
  }
  const idToken = await signIdToken(deps, { client, grant, accessToken, refreshToken: refreshTokenValue, authReqId });
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: dpopJkt ? "DPoP" : "Bearer",
    expires_in: deps.config.tokens.accessTokenSeconds,
    id_token: idToken,
    scope,
  };
  if (refreshTokenValue) response.refresh_token = refreshTokenValue;
  if (grant.authorizationDetails) response.authorization_details = grant.authorizationDetails;
  return { response, refreshToken };
}

export interface RedeemInput {
  client: Client;
  request: AuthRequest;
  now: Date;
  dpopJkt: string | null;
  /** Push mode: the delivery that carries the tokens, stored with them. */
  delivery?: (tokens: TokenResponse) => NewDelivery;
}

/**
 * Redeems an approved request: signs its tokens, then, in one transaction, marks the request consumed
 * (of concurrent callers exactly one wins) and stores its grant, the refresh token and (push) the
 * delivery. Null when it was already consumed. The token endpoint (poll, ping) and push delivery both
 * issue through here.
 */
export async function redeemApprovedRequest(deps: ProviderDeps, input: RedeemInput): Promise<TokenResponse | null> {
  const { client, request, now, dpopJkt } = input;
  const grant: Grant = {
    id: randomToken(16),
    clientId: client.clientId,
    userId: request.userId,
    authRequestId: request.id,
    scope: request.scope,
    authorizationDetails: request.authorizationDetails,
    acr: request.acr,
    amr: request.amr,
    authTime: request.authTime ?? now,
    createdAt: now,
    revokedAt: null,
  };
  const { response, refreshToken } = await issueTokens(deps, { client, grant, scope: request.scope, authReqId: request.authReqId, dpopJkt });
  const redeemed = await deps.repos.grants.redeem({
    authRequestId: request.id,
    now,
    grant,
    refreshToken,
    delivery: input.delivery?.(response),
  });
  return redeemed ? response : null;
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
