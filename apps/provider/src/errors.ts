// The one error class of the provider. Its HTTP status comes with its OAuth code (from
// @ciba/protocol's table); an endpoint passes a status only where a spec says otherwise.
import { errorDescriptionPattern, type OAuthErrorCode, oauthErrorStatus } from "@ciba/protocol";

export interface OAuthErrorOptions {
  status?: number;
  /** Internal detail for logs; never serialized. */
  cause?: unknown;
  /** Extra response headers, e.g. WWW-Authenticate or Retry-After. */
  headers?: Record<string, string>;
}

export class OAuthError extends Error {
  override readonly name = "OAuthError";
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(description, { cause: options.cause });
    this.status = options.status ?? oauthErrorStatus[error];
    this.headers = options.headers ?? {};
    if (!errorDescriptionPattern.test(description)) {
      // A programming mistake: descriptions are fixed strings or carry sanitized input.
      throw new TypeError(`error_description has characters RFC 6749 forbids: ${description}`);
    }
  }

  toJSON() {
    return { error: this.error, error_description: this.description };
  }
}

/** Makes untrusted text safe to quote in an error_description (printable ASCII without " and \). */
export function quote(value: string, max = 60): string {
  const safe = value.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, "?");
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
}
