// The UserInfo endpoint (OIDC Core §5.3): the claims the access token's scopes release (§5.4).
// Errors follow RFC 6750 §3: 401 invalid_token with a Bearer challenge.
import { scopeClaims, type SupportedScope, type UserinfoResponse } from "@ciba/protocol";
import type { RequestHandler } from "express";
import { describeJwtFailure } from "../client-auth/jwt-errors";
import type { ProviderDeps } from "../deps";
import { OAuthError } from "../errors";
import { verifyAccessToken } from "../tokens/access-token";

function invalidToken(description: string, cause?: unknown) {
  return new OAuthError("invalid_token", description, {
    cause,
    headers: { "WWW-Authenticate": `Bearer realm="ciba", error="invalid_token", error_description="${description}"` },
  });
}

function bearerToken(header: string | undefined): string {
  if (!header) {
    throw new OAuthError("invalid_token", "an access token is required", {
      status: 401,
      headers: { "WWW-Authenticate": 'Bearer realm="ciba"' },
    });
  }
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) throw invalidToken("the Authorization header is not a Bearer token");
  return match[1]!;
}

export function userinfoEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const token = bearerToken(req.headers.authorization);
    let claims;
    try {
      claims = await verifyAccessToken(deps, token);
    } catch (error) {
      throw invalidToken(describeJwtFailure("access token", error), error);
    }
    if (claims.cnf?.jkt) throw invalidToken("the access token is DPoP-bound and needs a DPoP proof");
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
