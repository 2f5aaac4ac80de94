import { OAuthError } from "../errors";

/** invalid_client is 401 with a WWW-Authenticate challenge (RFC 6749 §5.2). */
export function invalidClient(description: string, cause?: unknown): OAuthError {
  return new OAuthError("invalid_client", description, { cause, headers: { "WWW-Authenticate": 'Basic realm="ciba"' } });
}
