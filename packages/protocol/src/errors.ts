import { z } from "zod";

/**
 * Every error code the provider puts on the wire, with the HTTP status it carries by default.
 * An endpoint overrides the status only where a spec says otherwise (e.g. `access_denied` is 403 at the
 * backchannel authentication endpoint but 400 at the token endpoint).
 *
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.13
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.11
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export const oauthErrorStatus = {
  // RFC 6749 §5.2 and CIBA §13
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  // CIBA §13 (backchannel authentication endpoint)
  expired_login_hint_token: 400,
  unknown_user_id: 400,
  missing_user_code: 400,
  invalid_user_code: 400,
  invalid_binding_message: 400,
  // CIBA §11 (token endpoint) and §12 (push error payload)
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  transaction_failed: 400,
  // RFC 6750 §3.1 (userinfo)
  invalid_token: 401,
  insufficient_scope: 403,
  // RFC 7591 / RFC 9396 / RFC 9449
  invalid_client_metadata: 400,
  invalid_redirect_uri: 400,
  invalid_authorization_details: 400,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  // Authentication Device API
  invalid_credentials: 401,
  // Generic
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  request_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  server_error: 500,
  temporarily_unavailable: 503,
} as const satisfies Record<string, number>;

export type OAuthErrorCode = keyof typeof oauthErrorStatus;

export const oauthErrorCodes = Object.keys(oauthErrorStatus) as [OAuthErrorCode, ...OAuthErrorCode[]];

/**
 * `error_description` may only contain %x20-21 / %x23-5B / %x5D-7E: printable ASCII without `"` and `\`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export const errorDescriptionPattern = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

/** The JSON body of every error response. */
export const oauthErrorResponseSchema = z
  .object({
    error: z.string(),
    error_description: z.string().optional(),
    error_uri: z.string().optional(),
  })
  .strict();

export type OAuthErrorResponse = z.infer<typeof oauthErrorResponseSchema>;
