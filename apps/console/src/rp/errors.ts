// Turns what can go wrong talking to the provider into one shape: an OAuth error from the provider
// (code, description, status), the provider being unreachable, or an answer that failed our checks.
import * as oidc from "openid-client";
import { plainError } from "../shared/error-messages";
import type { FlowError } from "../shared/flow-view";
import { describeFetchError } from "./recorder";

export type ProviderFailure =
  | { kind: "oauth"; error: FlowError }
  | { kind: "unreachable"; error: FlowError }
  | { kind: "invalid_response"; error: FlowError };

export async function classifyProviderError(error: unknown): Promise<ProviderFailure> {
  if (error instanceof oidc.ResponseBodyError) {
    return { kind: "oauth", error: plainError(error.error, error.error_description ?? null, error.status) };
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    // A 401 with a challenge: openid-client leaves the JSON body unread; it carries the OAuth error.
    const body = (await error.response.json().catch(() => ({}))) as { error?: unknown; error_description?: unknown };
    const challenge = error.cause[0]?.parameters;
    const code = typeof body.error === "string" ? body.error : (challenge?.error ?? "invalid_client");
    const description =
      typeof body.error_description === "string" ? body.error_description : (challenge?.error_description ?? null);
    return { kind: "oauth", error: plainError(code, description, error.status) };
  }
  if (isTransportError(error)) {
    return { kind: "unreachable", error: plainError("provider_unreachable", describeFetchError(error), null) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "invalid_response", error: plainError("invalid_response", message, null) };
}

/** fetch() rejects with a TypeError ("fetch failed") or an abort/timeout when there is no HTTP answer. */
function isTransportError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return true;
  // openid-client wraps some transport failures; look one level down.
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause !== error && isTransportError(cause);
}
