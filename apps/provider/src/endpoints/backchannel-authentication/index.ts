// The backchannel authentication endpoint (CIBA Core §7): a pipeline of small named steps in the
// order of §7.2 — client authentication first, then the request's own parameters, then the hint.
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import type { RequestHandler } from "express";
import { authenticateClient } from "../../client-auth/authenticate-client";
import type { ProviderDeps } from "../../deps";
import { acknowledgement, createAuthRequest, notifyDevice } from "./create-auth-request";
import { effectiveParams } from "./request-object";
import { resolveHint } from "./resolve-hint";
import {
  requireCibaGrant,
  validateAcrValues,
  validateAuthorizationDetails,
  validateBindingMessage,
  validateClientNotificationToken,
  validateRequestedExpiry,
  validateScope,
} from "./validate-params";
import { verifyUserCode } from "./verify-user-code";

export function backchannelAuthenticationEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const client = await authenticateClient(deps, req, req.form!);
    const params = await effectiveParams(deps, client, req.form!);
    requireCibaGrant(client, CIBA_GRANT_TYPE);
    const scope = validateScope(client, params);
    const clientNotificationToken = validateClientNotificationToken(client, params);
    const { expiresIn, requested } = validateRequestedExpiry(deps.config, params);
    const bindingMessage = validateBindingMessage(deps.policy, client, params);
    const acrValues = validateAcrValues(params);
    const authorizationDetails = validateAuthorizationDetails(params);
    const hint = await resolveHint(deps, client, params);
    await verifyUserCode(deps, client, hint.user, params);

    const request = await createAuthRequest(deps, {
      client,
      scope,
      acrValues,
      bindingMessage,
      authorizationDetails,
      clientNotificationToken,
      expiresIn,
      requestedExpiry: requested,
      hint,
    });
    await notifyDevice(deps, request, hint);
    res.json(acknowledgement(request, expiresIn));
  };
}
