// The backchannel authentication request (CIBA Core §7.1) through openid-client, and its acknowledgement
// (§7.3) checked against the shared schema.
import { type AuthorizationDetail, backchannelAuthenticationResponseSchema, type BackchannelAuthenticationResponse } from "@ciba/protocol";
import * as oidc from "openid-client";

export interface InitiateParams {
  scope: string;
  loginHint: string;
  bindingMessage: string;
  acrValues: string | null;
  requestedExpiry: number | null;
  authorizationDetails: AuthorizationDetail[] | null;
  /** Ping and push only: the bearer token the provider must present when it calls back (§7.1). */
  clientNotificationToken: string | null;
}

export function initiateParameters(params: InitiateParams): Record<string, string> {
  const body: Record<string, string> = {
    scope: params.scope,
    login_hint: params.loginHint,
    binding_message: params.bindingMessage,
  };
  if (params.acrValues) body.acr_values = params.acrValues;
  if (params.requestedExpiry !== null) body.requested_expiry = String(params.requestedExpiry);
  if (params.authorizationDetails) body.authorization_details = JSON.stringify(params.authorizationDetails);
  if (params.clientNotificationToken) body.client_notification_token = params.clientNotificationToken;
  return body;
}

export async function initiate(config: oidc.Configuration, params: InitiateParams): Promise<BackchannelAuthenticationResponse> {
  const response = await oidc.initiateBackchannelAuthentication(config, initiateParameters(params));
  return backchannelAuthenticationResponseSchema.parse({
    auth_req_id: response.auth_req_id,
    expires_in: response.expires_in,
    interval: response.interval,
  });
}
