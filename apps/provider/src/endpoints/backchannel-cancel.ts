// POST {backchannel_authentication_endpoint}/cancel — this platform's extension to CIBA, which has no
// way for a client to withdraw a request (e.g. the caller hung up). The client authenticates as at
// the backchannel endpoint and names its own pending auth_req_id; the request ends through the one
// completion path, so the device drops it at once (socket.io request:ended), ping and push clients
// are notified as for a denial, and the token endpoint answers access_denied "cancelled by the client".
//   200 {"auth_req_id", "status": "cancelled"}
//   400 invalid_request   auth_req_id missing
//   400 invalid_grant     unknown, another client's, already ended or expired
//   401 invalid_client    client authentication failed
import type { AuthRequest } from "@ciba/db";
import type { BackchannelCancelResponse } from "@ciba/protocol";
import type { RequestHandler } from "express";
import { completeAuthRequest } from "../ciba/complete-auth-request";
import { authenticateClient } from "../client-auth/authenticate-client";
import type { ProviderDeps } from "../deps";
import { OAuthError } from "../errors";

export const CANCELLED_BY_CLIENT = "cancelled by the client";

/** Why the request cannot be cancelled any more, or null while it is pending. */
function endedReason(request: AuthRequest, now: Date): string | null {
  if (request.status !== "pending") return `the request has already ended: ${request.status}`;
  if (request.expiresAt <= now) return "the auth_req_id has expired";
  return null;
}

export function backchannelCancelEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const client = await authenticateClient(deps, req, req.form!);
    const authReqId = req.form!.auth_req_id;
    if (!authReqId) throw new OAuthError("invalid_request", "auth_req_id is required");

    const request = await deps.repos.authRequests.findByAuthReqId(authReqId);
    if (!request || request.clientId !== client.clientId) {
      throw new OAuthError("invalid_grant", "auth_req_id is unknown or was issued to another client");
    }
    const reason = endedReason(request, deps.clock.now());
    if (reason) throw new OAuthError("invalid_grant", reason);

    const ended = await completeAuthRequest(deps, request.id, { status: "cancelled", description: CANCELLED_BY_CLIENT });
    if (!ended) {
      // The user (or expiry) ended it between the read and the write: report what won.
      const latest = await deps.repos.authRequests.findById(request.id);
      throw new OAuthError("invalid_grant", (latest && endedReason(latest, deps.clock.now())) ?? "the request is no longer pending");
    }
    const response: BackchannelCancelResponse = { auth_req_id: authReqId, status: "cancelled" };
    res.json(response);
  };
}
