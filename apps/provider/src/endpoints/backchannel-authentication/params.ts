// The authentication request parameters, once client authentication has taken its own out: from the
// form, or (CIBA Core §7.1.1) from the claims of a signed request object, where requested_expiry may
// also be a number and authorization_details an array.
import { type BackchannelAuthenticationParam, backchannelAuthenticationParams } from "@ciba/protocol";
import { OAuthError } from "../../errors";

export type RequestParams = Partial<Record<BackchannelAuthenticationParam, unknown>>;

/** Keeps the known authentication request parameters; unknown extension parameters are ignored. */
export function pickRequestParams(source: Record<string, unknown>): RequestParams {
  const params: RequestParams = {};
  for (const name of backchannelAuthenticationParams) {
    if (Object.hasOwn(source, name)) params[name] = source[name];
  }
  return params;
}

/** A parameter as a string; undefined when absent or empty. A non-string value is invalid_request. */
export function stringParam(params: RequestParams, name: BackchannelAuthenticationParam): string | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new OAuthError("invalid_request", `${name} must be a string`);
  return value;
}
