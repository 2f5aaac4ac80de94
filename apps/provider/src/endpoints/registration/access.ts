// Who may register and manage clients: the initial access token (RFC 7591 §3) when the deployment
// requires one, and the registration access token (RFC 7592 §1) issued with each client. Both are
// bearer tokens (RFC 6750); failures are 401 invalid_token with a Bearer challenge.
import { type Client, tokenMatchesHash } from "@ciba/db";
import type { Request } from "express";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";

function invalidToken(description: string): OAuthError {
  return new OAuthError("invalid_token", description, {
    headers: { "WWW-Authenticate": `Bearer realm="ciba", error="invalid_token", error_description="${description}"` },
  });
}

/** The bearer token of the Authorization header, or null when there is none. */
function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) throw invalidToken("the Authorization header is not a Bearer token");
  return match[1]!;
}

/** Registration requires the initial access token when the deployment configured one. */
export function requireInitialAccessToken(deps: ProviderDeps, req: Request): void {
  const expected = deps.config.registration.initialAccessTokenHash;
  if (!expected) return;
  const token = bearer(req);
  if (!token) {
    throw new OAuthError("invalid_token", "an initial access token is required to register a client", {
      headers: { "WWW-Authenticate": 'Bearer realm="ciba"' },
    });
  }
  if (!tokenMatchesHash(token, expected)) throw invalidToken("the initial access token is not valid");
}

/**
 * The client the registration access token manages, which must be the one in the path. An unknown
 * client, a deleted one or another client's token all look the same (RFC 7592 §3: 401).
 */
export async function clientOfRegistrationToken(deps: ProviderDeps, req: Request): Promise<Client> {
  const token = bearer(req);
  if (!token) {
    throw new OAuthError("invalid_token", "the registration access token is required", {
      headers: { "WWW-Authenticate": 'Bearer realm="ciba"' },
    });
  }
  const client = await deps.repos.clients.findById(String(req.params.clientId));
  if (!client?.registrationAccessTokenHash || !tokenMatchesHash(token, client.registrationAccessTokenHash)) {
    throw invalidToken("the registration access token is not valid for this client");
  }
  return client;
}
