// How a flow ends once the provider has answered: tokens are validated (ID token) and UserInfo is read
// before "verified"; an OAuth error becomes denied, suspected fraud, cancelled, expired or failed.
import type { TokenResponse } from "@ciba/protocol";
import { classifyProviderError } from "../rp/errors";
import { IdTokenValidationError, validateIdToken, type ValidatedIdToken } from "../rp/id-token";
import type { ProviderConnection } from "../rp/discovery";
import { requestTokens, type TokenResult } from "../rp/token-request";
import { fetchUserinfo } from "../rp/userinfo";
import { plainError } from "../shared/error-messages";
import type { FlowError, FlowStatus } from "../shared/flow-view";
import { spec } from "../shared/spec";
import type { EngineContext } from "./context";
import type { Flow } from "./flow";
import { setupMessages } from "./messages";

/** The final state a token or push error means, given what the provider reported about the decision. */
export function outcomeOfError(flow: Pick<Flow, "providerDecision" | "cancelRequested">, error: FlowError): { status: FlowStatus; detail: string } {
  const decision = flow.providerDecision;
  if (error.code === "access_denied") {
    if (flow.cancelRequested || decision?.status === "cancelled") return { status: "cancelled", detail: "the operator cancelled the request" };
    // The /monitor event says so; without it, the provider's own description does.
    const fraud = decision?.suspectedFraud ?? /suspected fraud/i.test(error.description ?? "");
    if (fraud) return { status: "suspected_fraud", detail: "the caller says they are not on a call with anyone" };
    return { status: "denied", detail: "the caller declined on their device" };
  }
  if (error.code === "expired_token") return { status: "expired", detail: "the caller did not answer before the request expired" };
  return { status: "failed", detail: error.title };
}

export function endWithError(ctx: EngineContext, flow: Flow, error: FlowError): void {
  const { status, detail } = outcomeOfError(flow, error);
  ctx.finish(flow, status, { detail, error });
}

export function tokenSummary(tokens: TokenResponse): string {
  return [tokens.id_token ? "ID token" : null, "access token", tokens.refresh_token ? "refresh token" : null, `expires in ${tokens.expires_in} s`]
    .filter(Boolean)
    .join(", ");
}

/** Validates an ID token for this flow: push requires the binding claims, poll and ping check them if present. */
export function validateFor(flow: Flow, connection: ProviderConnection, tokenResponse: TokenResponse): Promise<ValidatedIdToken> {
  return validateIdToken(tokenResponse.id_token ?? "", connection.keys, {
    issuer: connection.issuer,
    clientId: flow.summary.client_id,
    authReqId: flow.authReqId ?? "",
    accessToken: tokenResponse.access_token,
    refreshToken: tokenResponse.refresh_token ?? null,
    requireBindingClaims: flow.summary.mode === "push",
    algorithms: connection.idTokenAlgorithms,
  });
}

/** The inspector row of an ID token validation, after the JWKS fetch it caused (if any). */
export function recordValidation(ctx: EngineContext, flow: Flow, checks: ValidatedIdToken["checks"], decoded: ValidatedIdToken["decoded"] | null, ok: boolean): void {
  const connection = ctx.runtime(flow)?.connection;
  for (const row of setupMessages(null, connection?.jwksExchanges.splice(0) ?? [], ctx.now())) flow.record(row);
  flow.record({
    from: "consumption_device",
    to: "consumption_device",
    kind: "id_token_validation",
    title: "ID token validation",
    summary: ok ? `${checks.length} checks passed` : `rejected: ${checks.at(-1)?.detail ?? "invalid"}`,
    explanation: "The client checks the signature against the provider's JWKS and iss, aud, exp; at_hash, rt_hash and auth_req_id bind the ID token to the tokens and this request.",
    spec: flow.summary.mode === "push" ? spec.pushTokens : spec.idTokenValidation,
    tone: ok ? "success" : "danger",
    jwts: decoded ? [decoded] : [],
    checks,
  });
}

/** Tokens in hand (token endpoint, or a push already validated): validate the ID token, read UserInfo, verified. */
export async function complete(ctx: EngineContext, flow: Flow, tokenResponse: TokenResponse, validated: ValidatedIdToken | null): Promise<void> {
  const runtime = ctx.runtime(flow);
  if (!runtime || flow.ended) return;
  let idToken = validated;
  if (!idToken) {
    if (!tokenResponse.id_token) {
      return ctx.finish(flow, "failed", { error: plainError("invalid_response", "the token response has no id_token although openid was requested", null) });
    }
    try {
      idToken = await validateFor(flow, runtime.connection, tokenResponse);
    } catch (error) {
      if (!(error instanceof IdTokenValidationError)) throw error;
      recordValidation(ctx, flow, error.checks, error.decoded, false);
      return ctx.finish(flow, "failed", { error: plainError("id_token_invalid", error.message, null) });
    }
    recordValidation(ctx, flow, idToken.checks, idToken.decoded, true);
  }
  const claims = idToken.claims;
  flow.note({ source: "console", kind: "id_token_validated", title: "ID token validated", detail: idToken.checks.map((c) => c.label.replace(/ \(.*\)$/, "")).join(", "), tone: "success" });
  ctx.publish(flow);

  let userinfo: Awaited<ReturnType<typeof fetchUserinfo>> | null = null;
  let userinfoProblem: string | null = null;
  try {
    userinfo = await fetchUserinfo(runtime.config, tokenResponse.access_token, String(claims.sub));
    flow.note({ source: "console", kind: "userinfo", title: "Caller's details read from UserInfo", detail: [userinfo.name, userinfo.email, userinfo.phone_number].filter(Boolean).join(" · ") || null, tone: "success" });
  } catch (error) {
    // The ID token already proves who approved; UserInfo only adds the details.
    userinfoProblem = (await classifyProviderError(error)).error.description;
    flow.note({ source: "console", kind: "userinfo", title: "UserInfo could not be read", detail: userinfoProblem, tone: "warning" });
  }
  ctx.finish(flow, "verified", {
    detail: userinfoProblem ? `verified by the ID token; UserInfo failed: ${userinfoProblem}` : null,
    identity: {
      sub: String(claims.sub),
      name: userinfo?.name ?? null,
      email: userinfo?.email ?? null,
      phone_number: userinfo?.phone_number ?? null,
      acr: typeof claims.acr === "string" ? claims.acr : null,
      amr: Array.isArray(claims.amr) ? claims.amr.map(String) : null,
      auth_time: typeof claims.auth_time === "number" ? claims.auth_time : null,
    },
  });
}

/** Applies a token endpoint answer that ends the wait (poll or ping). */
export async function settle(ctx: EngineContext, flow: Flow, result: TokenResult): Promise<void> {
  if (flow.ended) return;
  switch (result.kind) {
    case "tokens":
      flow.note({ source: "console", kind: "tokens_received", title: "Tokens received from the token endpoint", detail: tokenSummary(result.tokens), tone: "success" });
      ctx.publish(flow);
      return complete(ctx, flow, result.tokens, null);
    case "failed":
      return endWithError(ctx, flow, result.error);
    case "invalid_response":
      return ctx.finish(flow, "failed", { error: result.error });
    case "unreachable":
      flow.note({ source: "console", kind: "provider_unreachable", title: "Provider unreachable", detail: result.error.description, tone: "warning" });
      ctx.publish(flow);
      return;
    case "authorization_pending":
    case "slow_down":
      // A ping client asked before there was a result (e.g. the ping fallback raced the decision).
      flow.note({ source: "console", kind: "poll", title: `Token endpoint: ${result.kind}`, detail: result.error.description, tone: "neutral" });
      ctx.publish(flow);
      return;
  }
}

/** One token request for a ping client: after its ping, or to learn an outcome it was not pinged about. */
export async function fetchAfterPing(ctx: EngineContext, flow: Flow): Promise<void> {
  const runtime = ctx.runtime(flow);
  if (!runtime || flow.ended || flow.fetching || !flow.authReqId) return;
  flow.fetching = true;
  const result = await requestTokens(runtime.config, flow.authReqId);
  flow.fetching = false;
  await settle(ctx, flow, result);
}
