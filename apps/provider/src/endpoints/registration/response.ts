// The client information response (RFC 7591 §3.2.1, RFC 7592 §3): what the client registered, with
// defaults applied, how to manage it, and any credential issued by this very request.
import type { Client } from "@ciba/db";
import type { ClientRegistrationResponse, SigningAlg } from "@ciba/protocol";
import { epochSeconds } from "../../clock";
import type { ProviderDeps } from "../../deps";

export interface IssuedCredentials {
  clientSecret?: string;
  registrationAccessToken?: string;
}

export function registrationClientUri(deps: ProviderDeps, clientId: string): string {
  return `${deps.endpoints.registration}/${encodeURIComponent(clientId)}`;
}

export function clientInformation(deps: ProviderDeps, client: Client, issued: IssuedCredentials = {}): ClientRegistrationResponse {
  const response: ClientRegistrationResponse = {
    client_id: client.clientId,
    client_id_issued_at: epochSeconds(client.createdAt),
    registration_client_uri: registrationClientUri(deps, client.clientId),
    client_name: client.name,
    grant_types: client.grantTypes,
    response_types: [],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg as SigningAlg,
    subject_type: "public",
    backchannel_token_delivery_mode: client.deliveryMode,
    backchannel_user_code_parameter: client.userCodeParameter,
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    fapi_ciba: client.fapiCiba,
    ...client.metadata,
  };
  if (issued.clientSecret) response.client_secret = issued.clientSecret;
  // 0: the secret never expires (RFC 7591 §3.2.1); present whenever the client has one.
  if (client.secretHash || client.secretCiphertext) response.client_secret_expires_at = client.secretExpiresAt ? epochSeconds(client.secretExpiresAt) : 0;
  if (issued.registrationAccessToken) response.registration_access_token = issued.registrationAccessToken;
  if (client.tokenEndpointAuthSigningAlg) response.token_endpoint_auth_signing_alg = client.tokenEndpointAuthSigningAlg;
  if (client.scope) response.scope = client.scope.join(" ");
  if (client.jwks) response.jwks = client.jwks;
  if (client.jwksUri) response.jwks_uri = client.jwksUri;
  if (client.notificationEndpoint) response.backchannel_client_notification_endpoint = client.notificationEndpoint;
  if (client.requestSigningAlg) response.backchannel_authentication_request_signing_alg = client.requestSigningAlg as SigningAlg;
  return response;
}
