// OpenID Provider metadata (OIDC Discovery §3) with the CIBA additions (CIBA Core §4).
import {
  acrValuesSupported,
  clientAuthMethods,
  clientSecretJwtAlgs,
  type ProviderMetadata,
  scopeClaims,
  supportedScopes,
} from "@ciba/protocol";
import type { RequestHandler } from "express";
import type { ProviderDeps } from "../deps";
import { dpopSigningAlgs } from "../dpop/proof";
import { supportedGrantTypes } from "../grants";

export function providerMetadata(deps: ProviderDeps): ProviderMetadata {
  const { config, endpoints } = deps;
  const claims = new Set<string>(["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "amr"]);
  for (const scope of supportedScopes) for (const claim of scopeClaims[scope]) claims.add(claim);
  const metadata: ProviderMetadata = {
    issuer: config.issuer,
    token_endpoint: endpoints.token,
    userinfo_endpoint: endpoints.userinfo,
    jwks_uri: endpoints.jwks,
    backchannel_authentication_endpoint: endpoints.backchannelAuthentication,
    backchannel_token_delivery_modes_supported: config.ciba.deliveryModes,
    backchannel_user_code_parameter_supported: true,
    // CIBA Core §7.1.1: asymmetric algorithms only (§4: omitting this would mean no signed requests).
    backchannel_authentication_request_signing_alg_values_supported: config.signingAlgs,
    grant_types_supported: supportedGrantTypes,
    // CIBA needs no authorization endpoint; no front-channel response types are offered.
    response_types_supported: [],
    subject_types_supported: ["public"],
    scopes_supported: supportedScopes,
    claims_supported: [...claims],
    acr_values_supported: [...acrValuesSupported],
    id_token_signing_alg_values_supported: config.signingAlgs,
    userinfo_signing_alg_values_supported: [],
    // client_secret_jwt needs the secret box (a key-encryption key); without one it is not offered.
    token_endpoint_auth_methods_supported: clientAuthMethods.filter((m) => m !== "client_secret_jwt" || deps.secretBox),
    token_endpoint_auth_signing_alg_values_supported: [...config.signingAlgs, ...(deps.secretBox ? clientSecretJwtAlgs : [])],
    dpop_signing_alg_values_supported: [...dpopSigningAlgs],
    backchannel_endpoint_login_hint_token_types_supported: ["urn:ietf:params:oauth:token-type:jwt"],
    authorization_details_types_supported: ["payment_initiation"],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    // This platform's extension: POST auth_req_id here (with client authentication) to cancel a request.
    backchannel_authentication_cancel_endpoint: endpoints.backchannelCancel,
  };
  if (config.registration.enabled) metadata.registration_endpoint = endpoints.registration;
  return metadata;
}

export function discoveryEndpoint(deps: ProviderDeps): RequestHandler {
  // Computed per request: cheap, and always in step with the configuration.
  return (_req, res) => {
    res.set("Cache-Control", "public, max-age=300");
    res.json(providerMetadata(deps));
  };
}
