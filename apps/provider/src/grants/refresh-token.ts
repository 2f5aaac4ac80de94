// The refresh_token grant (RFC 6749 §6) with rotation: every refresh token works once; presenting a
// used one again is treated as theft and revokes the whole grant.
import { hashToken, inTransaction } from "@ciba/db";
import { OAuthError } from "../errors";
import { issueTokens } from "./issue-tokens";
import type { GrantHandler } from "./types";

export const refreshTokenGrant: GrantHandler = async (deps, client, params) => {
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

  const granted = stored.grant.scope.split(" ");
  const scope = params.scope === undefined ? stored.grant.scope : params.scope;
  const requested = scope.split(" ").filter(Boolean);
  if (requested.length === 0 || requested.some((s) => !granted.includes(s))) {
    throw new OAuthError("invalid_scope", "scope must be a subset of the originally granted scope");
  }

  return inTransaction(deps.db, async (repos) => {
    if (!(await repos.grants.consumeRefreshToken(stored.id, now))) {
      throw new OAuthError("invalid_grant", "refresh_token has already been used");
    }
    return issueTokens(deps, repos, {
      client,
      grant: stored.grant,
      scope: requested.join(" "),
      authReqId: null,
      dpopJkt: stored.dpopJkt,
    });
  });
};
