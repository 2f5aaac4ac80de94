// The delivery log of one auth_req_id, for the client that owns it (a provider extension):
//   GET  /ciba/deliveries?auth_req_id=…   client authentication in the Authorization header
//   POST /ciba/deliveries                 form: auth_req_id + any client authentication method
// Answers {auth_req_id, deliveries: [{…, log: [attempts]}]}: what was sent where, every attempt's
// status or error and latency. Never the payload: pushed tokens are not retrievable from here.
// Unknown or another client's auth_req_id → 404, so other clients' requests stay invisible.
import type { DeliveryWithLog } from "@ciba/db";
import type { DeliveryEntry, DeliveryLogResponse } from "@ciba/protocol";
import type { Request, RequestHandler } from "express";
import { authenticateClient } from "../client-auth/authenticate-client";
import type { ProviderDeps } from "../deps";
import { OAuthError, quote } from "../errors";
import { type FormParams, parseForm } from "../http/form-body";

const allowedParams = new Set(["auth_req_id", "client_id", "client_secret", "client_assertion", "client_assertion_type"]);

/** The parameters: the query string for GET (credentials may not travel in a URL), the form for POST. */
function paramsOf(req: Request): FormParams {
  if (req.method === "POST") return req.form!;
  const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "";
  const params = parseForm(query);
  for (const secret of ["client_secret", "client_assertion"]) {
    if (Object.hasOwn(params, secret)) {
      throw new OAuthError("invalid_request", `${secret} must not be sent in the URL; use POST with a form body`);
    }
  }
  return params;
}

function rejectUnknownParams(params: FormParams) {
  for (const name of Object.keys(params)) {
    if (!allowedParams.has(name)) throw new OAuthError("invalid_request", `parameter ${quote(name)} is not supported here`);
  }
}

function toEntry(delivery: DeliveryWithLog): DeliveryEntry {
  return {
    id: delivery.id,
    kind: delivery.kind,
    endpoint: delivery.endpoint,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    created_at: delivery.createdAt.toISOString(),
    completed_at: delivery.completedAt?.toISOString() ?? null,
    log: delivery.log.map((attempt, index) => {
      const acknowledged = attempt.httpStatus !== null && attempt.httpStatus >= 200 && attempt.httpStatus < 300;
      const last = index === delivery.log.length - 1;
      return {
        attempt: attempt.attempt,
        started_at: attempt.startedAt.toISOString(),
        latency_ms: attempt.latencyMs,
        http_status: attempt.httpStatus,
        error: attempt.error,
        outcome: acknowledged ? "delivered" : last && delivery.status === "failed" ? "failed" : "retrying",
      };
    }),
  };
}

export function deliveryLogEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const params = paramsOf(req);
    const client = await authenticateClient(deps, req, params);
    rejectUnknownParams(params);
    const authReqId = params.auth_req_id;
    if (!authReqId) throw new OAuthError("invalid_request", "auth_req_id is required");
    const request = await deps.repos.authRequests.findByAuthReqId(authReqId);
    if (!request || request.clientId !== client.clientId) {
      throw new OAuthError("not_found", "auth_req_id is unknown or was issued to another client");
    }
    const deliveries = await deps.repos.deliveries.listForAuthRequest(request.id);
    const body: DeliveryLogResponse = { auth_req_id: authReqId, deliveries: deliveries.map(toEntry) };
    res.json(body);
  };
}
