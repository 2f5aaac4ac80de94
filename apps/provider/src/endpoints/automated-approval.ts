// POST /ciba/automated-approval?auth_req_id=...&action=allow|deny: the OpenID conformance suite's
// automated_ciba_approval_url. It decides a request without a device, through the same completion path.
// On in the demo/test profile; in production only when CIBA_AUTOMATED_APPROVAL=true.
import type { RequestHandler } from "express";
import type { ProviderDeps } from "../deps";
import { OAuthError } from "../errors";
import { decide, notPendingReason } from "./device/requests";

export function automatedApprovalEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const param = (name: string) => {
      const fromForm = req.form?.[name];
      const fromQuery = req.query[name];
      if (fromForm !== undefined && fromQuery !== undefined) {
        throw new OAuthError("invalid_request", `${name} is included more than once`);
      }
      if (fromQuery !== undefined && typeof fromQuery !== "string") {
        throw new OAuthError("invalid_request", `${name} is included more than once`);
      }
      return fromForm ?? fromQuery;
    };
    const authReqId = param("auth_req_id");
    const action = param("action");
    if (!authReqId) throw new OAuthError("invalid_request", "auth_req_id is required");
    if (action !== "allow" && action !== "deny") throw new OAuthError("invalid_request", "action must be allow or deny");

    const request = await deps.repos.authRequests.findByAuthReqId(authReqId);
    if (!request) throw new OAuthError("not_found", "auth_req_id is unknown");
    const withClient = (await deps.repos.authRequests.findById(request.id))!;
    const reason = notPendingReason(withClient, deps.clock.now());
    if (reason) throw new OAuthError("conflict", reason);

    const amr = ["swk"];
    const outcome =
      action === "allow"
        ? ({ status: "approved", acr: deps.policy.satisfiedAcr(request.acrValues, amr), amr } as const)
        : ({ status: "denied", suspectedFraud: false, description: "the end-user denied the authorization request" } as const);
    const decided = await decide(deps, withClient, outcome);
    res.json({ auth_req_id: authReqId, status: decided.status });
  };
}
