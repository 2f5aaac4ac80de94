// One token request with the CIBA grant (CIBA Core §10.1) through openid-client, and what its answer
// means for the flow (§10.1.1 success, §11 errors).
import { CIBA_GRANT_TYPE, tokenResponseSchema, type TokenResponse } from "@ciba/protocol";
import * as oidc from "openid-client";
import type { FlowError } from "../shared/flow-view";
import { classifyProviderError } from "./errors";

export type TokenResult =
  | { kind: "tokens"; tokens: TokenResponse }
  | { kind: "authorization_pending"; error: FlowError }
  | { kind: "slow_down"; error: FlowError }
  /** access_denied, expired_token, invalid_grant, ...: the request is over. */
  | { kind: "failed"; error: FlowError }
  | { kind: "unreachable"; error: FlowError }
  | { kind: "invalid_response"; error: FlowError };

export async function requestTokens(config: oidc.Configuration, authReqId: string): Promise<TokenResult> {
  try {
    const response = await oidc.genericGrantRequest(config, CIBA_GRANT_TYPE, { auth_req_id: authReqId });
    // openid-client normalises token_type to lower case; the shared schema holds the wire spelling.
    const tokens = tokenResponseSchema.parse({
      access_token: response.access_token,
      token_type: response.token_type.toLowerCase() === "dpop" ? "DPoP" : "Bearer",
      expires_in: response.expires_in,
      refresh_token: response.refresh_token,
      id_token: response.id_token,
      scope: response.scope,
      authorization_details: response.authorization_details,
    });
    return { kind: "tokens", tokens };
  } catch (error) {
    const failure = await classifyProviderError(error);
    if (failure.kind !== "oauth") return failure;
    if (failure.error.code === "authorization_pending") return { kind: "authorization_pending", error: failure.error };
    if (failure.error.code === "slow_down") return { kind: "slow_down", error: failure.error };
    return { kind: "failed", error: failure.error };
  }
}
