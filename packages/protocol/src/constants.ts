/**
 * Identifiers fixed by the specifications, and the vocabulary this provider supports.
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.4
 */

/** The CIBA grant type (CIBA Core §4, §10.1). */
export const CIBA_GRANT_TYPE = "urn:openid:params:grant-type:ciba";
export const REFRESH_TOKEN_GRANT_TYPE = "refresh_token";

/** ID token claim binding pushed tokens to their request (CIBA Core §10.3.1). */
export const AUTH_REQ_ID_CLAIM = "urn:openid:params:jwt:claim:auth_req_id";
/** ID token claim carrying the refresh token hash in push mode (CIBA Core §10.3.1). */
export const RT_HASH_CLAIM = "urn:openid:params:jwt:claim:rt_hash";

export const deliveryModes = ["poll", "ping", "push"] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

export const clientAuthMethods = [
  "client_secret_basic",
  "client_secret_post",
  "client_secret_jwt",
  "private_key_jwt",
] as const;
export type ClientAuthMethod = (typeof clientAuthMethods)[number];

/** Asymmetric JWS algorithms the provider signs and verifies with. */
export const signingAlgs = ["RS256", "PS256", "ES256"] as const;
export type SigningAlg = (typeof signingAlgs)[number];

/** Scopes and the claims each releases at userinfo and in the ID token (OIDC Core §5.4). */
export const scopeClaims = {
  openid: ["sub"],
  profile: ["name", "given_name", "family_name", "locale"],
  email: ["email", "email_verified"],
  phone: ["phone_number", "phone_number_verified"],
  offline_access: [],
} as const satisfies Record<string, readonly string[]>;

export type SupportedScope = keyof typeof scopeClaims;
export const supportedScopes = Object.keys(scopeClaims) as SupportedScope[];

/**
 * Authentication context classes the provider can satisfy, weakest first. The device simulator's PIN
 * confirmation satisfies all of them; `acr_values` picks the first supported value, in the client's order.
 */
export const acrValuesSupported = [
  "urn:ciba:acr:possession",
  "urn:ciba:acr:possession+knowledge",
] as const;

/** The acr reported when the client asked for none. */
export const DEFAULT_ACR = "urn:ciba:acr:possession+knowledge";

/** Polling interval a client must use when the acknowledgement carries none (CIBA Core §7.3). */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** How much every `slow_down` adds to the interval (CIBA Core §11). */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;
