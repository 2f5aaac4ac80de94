// GET /device/history: the signed-in user's ended requests, newest first, so the device can show what
// was approved, denied, cancelled or expired (and which denials were reported as fraud).
import type { AuthRequestWithClient } from "@ciba/db";
import type { DeviceHistoryEntry } from "@ciba/protocol";
import type { RequestHandler } from "express";
import type { ProviderDeps } from "../../deps";

/** How many past requests the device is shown: enough for a demo, bounded for the response size. */
export const DEVICE_HISTORY_LIMIT = 50;

export function toDeviceHistoryEntry(request: AuthRequestWithClient): DeviceHistoryEntry {
  if (request.status === "pending") throw new TypeError("a pending request has no history entry");
  return {
    id: request.id,
    client_name: request.clientName,
    binding_message: request.bindingMessage,
    scope: request.scope,
    authorization_details: request.authorizationDetails,
    status: request.status,
    suspected_fraud: request.suspectedFraud,
    description: request.outcomeDescription,
    created_at: request.createdAt.toISOString(),
    decided_at: request.decidedAt?.toISOString() ?? null,
  };
}

export function deviceHistoryEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const ended = await deps.repos.authRequests.listHistoryForUser(req.device!.sub, DEVICE_HISTORY_LIMIT);
    res.set("Cache-Control", "no-store");
    res.json(ended.map(toDeviceHistoryEntry));
  };
}
