// CIBA Core §7.3: store the validated request under a fresh auth_req_id, put it on the user's
// Authentication Device, and acknowledge it.
import { type AuthRequestWithClient, isForeignKeyViolation, randomToken } from "@ciba/db";
import type { AuthorizationDetail, BackchannelAuthenticationResponse } from "@ciba/protocol";
import { toDeviceRequest } from "../../ciba/device-view";
import { invalidClient } from "../../client-auth/errors";
import type { ProviderDeps } from "../../deps";
import type { Client } from "@ciba/db";
import type { ResolvedHint } from "./resolve-hint";

export interface ValidatedRequest {
  client: Client;
  scope: string;
  acrValues: string | null;
  bindingMessage: string | null;
  authorizationDetails: AuthorizationDetail[] | null;
  clientNotificationToken: string | null;
  expiresIn: number;
  requestedExpiry: number | null;
  hint: ResolvedHint;
}

/** Persists the request. The auth_req_id carries 256 bits from the CSPRNG (§7.3 asks for ≥ 128). */
export async function createAuthRequest(deps: ProviderDeps, validated: ValidatedRequest): Promise<AuthRequestWithClient> {
  const { client, hint } = validated;
  const now = deps.clock.now();
  const request = await deps.repos.authRequests.create({
    id: randomToken(16),
    authReqId: randomToken(32),
    clientId: client.clientId,
    userId: hint.user.id,
    scope: validated.scope,
    acrValues: validated.acrValues,
    bindingMessage: validated.bindingMessage,
    hintType: hint.hintType,
    hint: hint.hint,
    authorizationDetails: validated.authorizationDetails,
    requestContext: null,
    clientNotificationToken: validated.clientNotificationToken,
    deliveryMode: client.deliveryMode,
    requestedExpiry: validated.requestedExpiry,
    expiresAt: new Date(now.getTime() + validated.expiresIn * 1000),
    // Push clients never poll; they get no interval (§7.3).
    interval: client.deliveryMode === "push" ? 0 : deps.config.ciba.pollIntervalSeconds,
    createdAt: now,
  }).catch((error: unknown) => {
    // Another instance deleted the client after this one authenticated it from its client cache.
    if (isForeignKeyViolation(error)) throw invalidClient("client authentication failed: unknown client", error);
    throw error;
  });
  const withClient = { ...request, clientName: client.name };
  await deps.events.record("request.created", request, {
    sub: request.userId,
    scope: request.scope,
    binding_message: request.bindingMessage,
    delivery_mode: request.deliveryMode,
    hint_type: request.hintType,
    expires_in: validated.expiresIn,
    interval: request.interval || null,
  });
  return withClient;
}

/** Puts the request on the user's Authentication Devices (CIBA Core §8) and records how many heard it. */
export async function notifyDevice(deps: ProviderDeps, request: AuthRequestWithClient, hint: ResolvedHint): Promise<void> {
  const devices = await deps.policy.triggerAuthenticationDevice(hint.user, toDeviceRequest(request));
  await deps.events.record("device.notified", request, { devices });
}

export function acknowledgement(request: AuthRequestWithClient, expiresIn: number): BackchannelAuthenticationResponse {
  const response: BackchannelAuthenticationResponse = { auth_req_id: request.authReqId, expires_in: expiresIn };
  if (request.interval > 0) response.interval = request.interval;
  return response;
}
