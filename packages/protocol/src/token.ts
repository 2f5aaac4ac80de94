import { z } from "zod";
import { authorizationDetailsSchema } from "./backchannel";

/**
 * Successful token response (OIDC Core §3.1.3.3, CIBA Core §10.1.1).
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.10.1.1
 */
export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.enum(["Bearer", "DPoP"]),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  scope: z.string().optional(),
  authorization_details: authorizationDetailsSchema.optional(),
});

export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * Ping callback body: only the `auth_req_id` (CIBA Core §10.2).
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.10.2
 */
export const pingNotificationSchema = z.object({ auth_req_id: z.string() }).strict();

export type PingNotification = z.infer<typeof pingNotificationSchema>;

/**
 * Push callback carrying the tokens (CIBA Core §10.3.1).
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.10.3.1
 */
export const pushTokenNotificationSchema = tokenResponseSchema.extend({
  auth_req_id: z.string(),
  id_token: z.string(),
});

export type PushTokenNotification = z.infer<typeof pushTokenNotificationSchema>;

/**
 * Push callback reporting a failure (CIBA Core §12).
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.12
 */
export const pushErrorNotificationSchema = z.object({
  auth_req_id: z.string(),
  error: z.enum(["access_denied", "expired_token", "transaction_failed"]),
  error_description: z.string().optional(),
});

export type PushErrorNotification = z.infer<typeof pushErrorNotificationSchema>;

/** Userinfo response (OIDC Core §5.3.2) with the claims this provider releases. */
export const userinfoResponseSchema = z.looseObject({
  sub: z.string(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  locale: z.string().optional(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  phone_number: z.string().optional(),
  phone_number_verified: z.boolean().optional(),
});

export type UserinfoResponse = z.infer<typeof userinfoResponseSchema>;
