// CIBA Core §7.1: a user_code lets only people who know it send requests to the user's device.
// Required from clients that registered backchannel_user_code_parameter; from others it is refused
// (decision 9) rather than silently ignored. Wrong codes are counted per user: a few wrong in a row
// lock the user's code for a while, so it cannot be found by trying.
import type { Client, User } from "@ciba/db";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";
import { type RequestParams, stringParam } from "./params";

export async function verifyUserCode(deps: ProviderDeps, client: Client, user: User, params: RequestParams): Promise<void> {
  const userCode = stringParam(params, "user_code");
  if (!client.userCodeParameter) {
    if (userCode !== undefined) {
      throw new OAuthError("invalid_request", "user_code is not accepted: the client did not register backchannel_user_code_parameter");
    }
    return;
  }
  if (userCode === undefined) throw new OAuthError("missing_user_code", "user_code is required for this client");
  const throttle = deps.rateLimits.userCodes;
  await throttle.assertNotLocked(user.id);
  if (userCode.length > 64 || !(await deps.policy.verifyUserCode(user, userCode))) {
    await throttle.failed(user.id);
    throw new OAuthError("invalid_user_code", "user_code is not valid for this user");
  }
  await throttle.succeeded(user.id);
}
