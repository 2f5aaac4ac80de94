// The UserInfo endpoint (OIDC Core §5.3): the claims the access token's scopes release (§5.4).
// Errors follow RFC 6750 §3: 401 invalid_token with a Bearer challenge; DPoP-bound tokens need the DPoP
// scheme and a proof (RFC 9449 §7), with DPoP challenges.
import { scopeClaims, type SupportedScope, type UserinfoResponse } from "@ciba/protocol";
import type { RequestHandler } from "express";
import { describeJwtFailure } from "../client-auth/jwt-errors";
import type { ProviderDeps } from "../deps";
import { checkSenderConstraint, presentedAccessToken, resourceError } from "../dpop/resource";
import { verifyAccessToken } from "../tokens/access-token";

export function userinfoEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const presented = presentedAccessToken(req.headers.authorization);
    const invalidToken = (description: string, cause?: unknown) => resourceError(presented.scheme, "invalid_token", description, cause);
    let claims;
    try {
      claims = await verifyAccessToken(deps, presented.token);
    } catch (error) {
      throw invalidToken(describeJwtFailure("access token", error), error);
    }
    await checkSenderConstraint(deps, req, deps.endpoints.userinfo, presented, claims.cnf?.jkt);
    const grant = await deps.repos.grants.findById(claims.grant_id);
    if (!grant || grant.revokedAt) throw invalidToken("the access token has been revoked");
    const user = await deps.repos.users.findBySub(claims.sub!);
    if (!user) throw invalidToken("the access token's subject no longer exists");

    const scopes = claims.scope.split(" ");
    const available: Record<string, unknown> = {
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
      locale: user.locale ?? undefined,
      email: user.email,
      email_verified: user.emailVerified,
      phone_number: user.phoneNumber,
      phone_number_verified: user.phoneNumberVerified,
    };
    const body: UserinfoResponse = { sub: user.id };
    for (const scope of scopes) {
      for (const claim of scopeClaims[scope as SupportedScope] ?? []) {
        if (claim !== "sub" && available[claim] !== undefined) (body as Record<string, unknown>)[claim] = available[claim];
      }
    }
    res.set("Cache-Control", "no-store");
    res.json(body);
  };
}
