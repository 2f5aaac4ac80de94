// Push mode's approval (CIBA Core §10.3.1): the tokens are issued here, exactly once, in the same
// transaction that marks the request consumed and stores them in the delivery that will carry them.
// The delivery keeps them until the client acknowledges (2xx) or delivery fails for good; a second
// call for the same request finds it consumed and issues nothing.
import { type AuthRequest, type Client, type Delivery, inTransaction } from "@ciba/db";
import type { PushTokenNotification, TokenResponse } from "@ciba/protocol";
import type { ProviderDeps } from "../deps";
import { recordTokensIssued, redeemApprovedRequest } from "../grants/issue-tokens";
import { deliveryIdFor } from "./plan";

export interface NewDeliveryFields {
  endpoint: string;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  now: Date;
}

export interface IssuedPush {
  delivery: Delivery;
  tokens: TokenResponse;
}

/** Issues the tokens and creates their delivery; null when the request was already consumed. */
export async function issuePushTokens(
  deps: ProviderDeps,
  request: AuthRequest,
  client: Client,
  fields: NewDeliveryFields,
): Promise<IssuedPush | null> {
  const issuedAt = deps.clock.now();
  return inTransaction(deps.db, async (repos) => {
    const tokens = await redeemApprovedRequest(deps, repos, { client, request, now: issuedAt, dpopJkt: null });
    if (!tokens) return null;
    const payload: PushTokenNotification = { auth_req_id: request.authReqId, ...tokens, id_token: tokens.id_token! };
    const delivery = await repos.deliveries.create({
      id: deliveryIdFor(request.id, "push_tokens"),
      authRequestId: request.id,
      kind: "push_tokens",
      endpoint: fields.endpoint,
      payload: JSON.stringify(payload),
      nextAttemptAt: fields.now,
      leaseOwner: fields.leaseOwner,
      leaseUntil: fields.leaseUntil,
      createdAt: fields.now,
    });
    return { delivery, tokens };
  });
}

/** The protocol event for pushed tokens (recorded once the push is on its way, so it does not delay it). */
export function recordPushedTokens(deps: ProviderDeps, request: AuthRequest, tokens: TokenResponse): Promise<void> {
  return recordTokensIssued(deps, request, tokens, "push");
}
