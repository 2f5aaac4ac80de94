// How a request looks to the Authentication Device: no auth_req_id, no client secrets, no tokens.
import type { AuthRequestWithClient } from "@ciba/db";
import type { DeviceRequest, RequestEnded } from "@ciba/protocol";

export function toDeviceRequest(request: AuthRequestWithClient): DeviceRequest {
  return {
    id: request.id,
    client_name: request.clientName,
    binding_message: request.bindingMessage,
    scope: request.scope,
    acr_values: request.acrValues,
    authorization_details: request.authorizationDetails,
    created_at: request.createdAt.toISOString(),
    expires_at: request.expiresAt.toISOString(),
  };
}

export function toRequestEnded(request: AuthRequestWithClient): RequestEnded {
  if (request.status === "pending") throw new TypeError("a pending request has not ended");
  return {
    id: request.id,
    status: request.status,
    suspected_fraud: request.suspectedFraud,
    description: request.outcomeDescription,
  };
}
