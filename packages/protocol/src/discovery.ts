import { z } from "zod";
import { deliveryModes } from "./constants";

/**
 * The provider metadata this platform publishes (OIDC Discovery §3, CIBA Core §4).
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.4
 */
export const providerMetadataSchema = z.looseObject({
  issuer: z.url(),
  authorization_endpoint: z.url().optional(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url().optional(),
  backchannel_authentication_endpoint: z.url(),
  backchannel_token_delivery_modes_supported: z.array(z.enum(deliveryModes)).min(1),
  backchannel_authentication_request_signing_alg_values_supported: z.array(z.string()).optional(),
  backchannel_user_code_parameter_supported: z.boolean(),
  grant_types_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()),
  scopes_supported: z.array(z.string()),
  claims_supported: z.array(z.string()),
  acr_values_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()),
  /** RFC 9449 §5.1: present when the token endpoint accepts DPoP proofs. */
  dpop_signing_alg_values_supported: z.array(z.string()).optional(),
});

export type ProviderMetadata = z.infer<typeof providerMetadataSchema>;
