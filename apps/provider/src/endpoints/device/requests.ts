// The device's view of its user's requests, and the user's decision on one of them.
//   GET  /device/requests                 pending requests, oldest first
//   POST /device/requests/{id}/approve    {"pin"?}            → 200 {id, status}
//   POST /device/requests/{id}/deny       {"pin"?, "reason"?}  → 200 {id, status}
// Unknown or another user's id → 404; no longer pending → 409.
import type { AuthRequestWithClient } from "@ciba/db";
import { approveBodySchema, type DeviceDecisionResponse, denyBodySchema } from "@ciba/protocol";
import type { Request, RequestHandler } from "express";
import { completeAuthRequest, type Outcome } from "../../ciba/complete-auth-request";
import { toDeviceRequest } from "../../ciba/device-view";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";
import { checkPin } from "./pin";

export function listDeviceRequestsEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const pending = await deps.repos.authRequests.listPendingForUser(req.device!.sub, deps.clock.now());
    res.set("Cache-Control", "no-store");
    res.json(pending.map(toDeviceRequest));
  };
}

/** Why a request can no longer be decided, in words for the 409. */
export function notPendingReason(request: AuthRequestWithClient, now: Date): string | null {
  if (request.status !== "pending") return `the request was already ${request.status}`;
  if (request.expiresAt <= now) return "the request has expired";
  return null;
}

async function ownPendingRequest(deps: ProviderDeps, req: Request): Promise<AuthRequestWithClient> {
  const request = await deps.repos.authRequests.findById(String(req.params.id));
  if (!request || request.userId !== req.device!.sub) {
    throw new OAuthError("not_found", "no such request for this user");
  }
  const reason = notPendingReason(request, deps.clock.now());
  if (reason) throw new OAuthError("conflict", reason);
  return request;
}

/** Runs the decision through the one completion path and answers {id, status}. */
export async function decide(deps: ProviderDeps, request: AuthRequestWithClient, outcome: Outcome): Promise<DeviceDecisionResponse> {
  const ended = await completeAuthRequest(deps, request.id, outcome);
  if (!ended) {
    const latest = await deps.repos.authRequests.findById(request.id);
    throw new OAuthError("conflict", (latest && notPendingReason(latest, deps.clock.now())) ?? "the request is no longer pending");
  }
  return { id: ended.id, status: ended.status as DeviceDecisionResponse["status"] };
}

async function confirmPin(deps: ProviderDeps, req: Request, pin: string | undefined): Promise<string[]> {
  if (pin === undefined) return ["swk"];
  const user = await deps.repos.users.findBySub(req.device!.sub);
  if (!user) throw new OAuthError("not_found", "the signed-in user no longer exists");
  await checkPin(deps, user, pin);
  return ["swk", "pin"];
}

export function approveEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const body = approveBodySchema.parse(req.body);
    const request = await ownPendingRequest(deps, req);
    const amr = await confirmPin(deps, req, body.pin);
    const acr = deps.policy.satisfiedAcr(request.acrValues, amr);
    res.json(await decide(deps, request, { status: "approved", acr, amr }));
  };
}

export function denyEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const body = denyBodySchema.parse(req.body);
    const request = await ownPendingRequest(deps, req);
    await confirmPin(deps, req, body.pin);
    const suspectedFraud = body.reason === "suspected_fraud";
    const description = suspectedFraud
      ? "the end-user reported that they are not on a call: suspected fraud"
      : "the end-user denied the authorization request";
    res.json(await decide(deps, request, { status: "denied", suspectedFraud, description }));
  };
}
