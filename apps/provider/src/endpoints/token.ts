// The token endpoint (RFC 6749 §3.2): authenticate the client, pick the grant by grant_type, and answer
// with tokens or an error. Every response is Cache-Control: no-store.
import type { RequestHandler } from "express";
import { authenticateClient } from "../client-auth/authenticate-client";
import type { ProviderDeps } from "../deps";
import { tokenRequestBinding } from "../dpop/token-request";
import { OAuthError, quote } from "../errors";
import { grants } from "../grants";

export function tokenEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const params = req.form!;
    const client = await authenticateClient(deps, req, params);
    const grantType = params.grant_type;
    if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
    const grant = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined;
    if (!grant) throw new OAuthError("unsupported_grant_type", `grant_type ${quote(grantType)} is not supported`);
    if (!client.grantTypes.includes(grantType)) {
      throw new OAuthError("unauthorized_client", `the client is not registered for the ${quote(grantType)} grant`);
    }
    const dpopJkt = await tokenRequestBinding(deps, req, client);
    res.json(await grant(deps, client, params, req, { dpopJkt }));
  };
}
