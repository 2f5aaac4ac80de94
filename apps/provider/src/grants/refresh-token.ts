// The refresh_token grant (RFC 6749 §6) with rotation: every refresh token works once; presenting a
// used one again is treated as theft and revokes the whole grant.
import { hashToken } from "@ciba/db";
import { OAuthError } from "../errors";
import { issueTokens } from "./issue-tokens";
import type { GrantHandler } from "./types";

export const refreshTokenGrant: GrantHandler = async (deps, client, params, _req, { dpopJkt }) => {
  const presented = params.refresh_token;
  if (!presented) throw new OAuthError("invalid_request", "refresh_token is required");
  const stored = await deps.repos.grants.findRefreshTokenByHash(hashToken(presented));
  if (!stored || stored.grant.clientId !== client.clientId) {
    throw new OAuthError("invalid_grant", "refresh_token is unknown or was issued to another client");
  }
  const now = deps.clock.now();
  if (stored.grant.revokedAt) throw new OAuthError("invalid_grant", "the grant of this refresh_token has been revoked");
  if (stored.consumedAt) {
    await deps.repos.grants.revoke(stored.grantId, now);
    throw new OAuthError("invalid_grant", "refresh_token has already been used; the grant is revoked");
  }
  if (stored.expiresAt <= now) throw new OAuthError("invalid_grant", "refresh_token has expired");
  // RFC 9449 §5: refresh tokens of confidential clients are not bound to a key (client authentication
  // already constrains them), but tokens that were DPoP-bound stay DPoP-bound: no downgrade to Bearer.
  if (stored.dpopJkt && !dpopJkt) {
    throw new OAuthError("invalid_dpop_proof", "a DPoP proof is required: this refresh token was issued with DPoP-bound tokens");
  }

  const granted = stored.grant.scope.split(" ");
  const scope = params.scope === undefined ? stored.grant.scope : params.scope;
  const requested = scope.split(" ").filter(Boolean);
  if (requested.length === 0 || requested.some((s) => !granted.includes(s))) {
    throw new OAuthError("invalid_scope", "scope must be a subset of the originally granted scope");
  }

  const issued = await issueTokens(deps, { client, grant: stored.grant, scope: requested.join(" "), authReqId: null, dpopJkt });
  // Rotation: the presented token is consumed and its successor stored together, once.
  if (!(await deps.repos.grants.rotateRefreshToken(stored.id, now, issued.refreshToken))) {
    throw new OAuthError("invalid_grant", "refresh_token has already been used");
  }
  return issued.response;
};
