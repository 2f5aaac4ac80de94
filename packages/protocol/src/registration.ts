import { z } from "zod";
import { clientAuthMethods, deliveryModes, signingAlgs } from "./constants";

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), with the CIBA client
 * metadata (CIBA Core §4), DPoP's `dpop_bound_access_tokens` (RFC 9449 §5.2) and this platform's
 * `fapi_ciba` flag. The schemas check each field's shape and vocabulary; rules that tie fields together
 * (ping needs a notification endpoint, private_key_jwt needs keys, FAPI-CIBA restrictions…) are the
 * provider's. Every message is a complete, lower-case sentence naming the field, so it can be the
 * `error_description` of `invalid_client_metadata` as it is.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7592
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.4
 */

/** JWS algorithms FAPI allows (FAPI 1.0 Advanced §8.6, FAPI-CIBA §7.10). */
export const fapiSigningAlgs = ["PS256", "ES256"] as const;

/** HMAC algorithms for client_secret_jwt assertions (OIDC Core §9). */
export const clientSecretJwtAlgs = ["HS256", "HS384", "HS512"] as const;

/** Registration metadata that is a string; `max` keeps stored metadata bounded. */
const text = (field: string, max = 2048) =>
  z.string({ error: `${field} must be a string` }).min(1, `${field} must not be empty`).max(max, `${field} is longer than ${max} characters`);

const strings = (field: string, maxItems = 20) =>
  z
    .array(z.string({ error: `${field} must be an array of strings` }), { error: `${field} must be an array of strings` })
    .max(maxItems, `${field} has more than ${maxItems} entries`);

const flag = (field: string) => z.boolean({ error: `${field} must be a boolean` });

const oneOf = <T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, { error: `${field} must be one of ${values.join(", ")}` });

/** A JSON Web Key Set as registered: public keys only (the provider checks each key further). */
export const registeredJwksSchema = z.object(
  {
    keys: z
      .array(z.looseObject({ kty: z.string({ error: "every key in jwks must have a kty" }) }), {
        error: "jwks must have a keys array",
      })
      .min(1, "jwks must contain at least one key")
      .max(10, "jwks has more than 10 keys"),
  },
  { error: "jwks must be a JSON Web Key Set object" },
);

/**
 * What a client may send to the registration endpoint (RFC 7591 §2, §3.1) or with an update
 * (RFC 7592 §2.2). Unknown members are ignored, as RFC 7591 §2 requires.
 */
export const clientRegistrationRequestSchema = z.looseObject(
  {
    client_name: text("client_name", 200).optional(),
    redirect_uris: strings("redirect_uris").optional(),
    grant_types: strings("grant_types", 5).optional(),
    response_types: strings("response_types", 5).optional(),
    token_endpoint_auth_method: oneOf("token_endpoint_auth_method", [...clientAuthMethods, "none"] as const).optional(),
    token_endpoint_auth_signing_alg: oneOf("token_endpoint_auth_signing_alg", [...signingAlgs, ...clientSecretJwtAlgs] as const).optional(),
    scope: text("scope", 1024).optional(),
    jwks: registeredJwksSchema.optional(),
    jwks_uri: text("jwks_uri").optional(),
    id_token_signed_response_alg: oneOf("id_token_signed_response_alg", signingAlgs).optional(),
    subject_type: oneOf("subject_type", ["public"] as const).optional(),
    backchannel_token_delivery_mode: oneOf("backchannel_token_delivery_mode", deliveryModes).optional(),
    backchannel_client_notification_endpoint: text("backchannel_client_notification_endpoint").optional(),
    backchannel_authentication_request_signing_alg: oneOf("backchannel_authentication_request_signing_alg", signingAlgs).optional(),
    backchannel_user_code_parameter: flag("backchannel_user_code_parameter").optional(),
    dpop_bound_access_tokens: flag("dpop_bound_access_tokens").optional(),
    /** This platform's extension: the client is held to the FAPI-CIBA profile. */
    fapi_ciba: flag("fapi_ciba").optional(),
    contacts: strings("contacts", 10).optional(),
    client_uri: text("client_uri").optional(),
    logo_uri: text("logo_uri").optional(),
    policy_uri: text("policy_uri").optional(),
    tos_uri: text("tos_uri").optional(),
    software_id: text("software_id", 200).optional(),
    software_version: text("software_version", 200).optional(),
    /** RFC 7592 §2.2: an update names the client it updates. */
    client_id: text("client_id", 200).optional(),
    client_secret: z.string({ error: "client_secret must be a string" }).optional(),
  },
  { error: "the registration request must be a JSON object" },
);

export type ClientRegistrationRequest = z.infer<typeof clientRegistrationRequestSchema>;

/**
 * The client information response (RFC 7591 §3.2.1, RFC 7592 §3): the registered metadata with
 * defaults applied, the credentials, and how to manage the registration.
 */
export const clientRegistrationResponseSchema = z.looseObject({
  client_id: z.string(),
  /** Only when issued: at registration, or when an update switched to a secret-based method. */
  client_secret: z.string().optional(),
  client_id_issued_at: z.number().int(),
  /** 0: the secret does not expire. Present whenever the client has a secret. */
  client_secret_expires_at: z.number().int().optional(),
  registration_access_token: z.string().optional(),
  registration_client_uri: z.url(),
  client_name: z.string(),
  grant_types: z.array(z.string()),
  response_types: z.array(z.string()),
  redirect_uris: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.enum(clientAuthMethods),
  token_endpoint_auth_signing_alg: z.string().optional(),
  scope: z.string().optional(),
  jwks: registeredJwksSchema.optional(),
  jwks_uri: z.string().optional(),
  id_token_signed_response_alg: z.enum(signingAlgs),
  subject_type: z.literal("public"),
  backchannel_token_delivery_mode: z.enum(deliveryModes),
  backchannel_client_notification_endpoint: z.string().optional(),
  backchannel_authentication_request_signing_alg: z.enum(signingAlgs).optional(),
  backchannel_user_code_parameter: z.boolean(),
  dpop_bound_access_tokens: z.boolean(),
  fapi_ciba: z.boolean(),
});

export type ClientRegistrationResponse = z.infer<typeof clientRegistrationResponseSchema>;

/**
 * The answer of this platform's cancel extension, `POST {backchannel_authentication_endpoint}/cancel`:
 * the client withdrew its own pending request.
 */
export const backchannelCancelResponseSchema = z.object({
  auth_req_id: z.string(),
  status: z.literal("cancelled"),
});

export type BackchannelCancelResponse = z.infer<typeof backchannelCancelResponseSchema>;
