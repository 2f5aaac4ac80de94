// Push mode's approval (CIBA Core §10.3.1): the tokens are issued here, exactly once: the transaction
// that marks the request consumed also stores them in the delivery that will carry them.
// The delivery keeps them until the client acknowledges (2xx) or delivery fails for good; a second
// call for the same request finds it consumed and issues nothing.
import type { AuthRequest, Client, Delivery, NewDelivery } from "@ciba/db";
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
  let delivery: NewDelivery | undefined;
  const tokens = await redeemApprovedRequest(deps, {
    client,
    request,
    now: issuedAt,
    dpopJkt: null,
    delivery: (issued) => {
      const payload: PushTokenNotification = { auth_req_id: request.authReqId, ...issued, id_token: issued.id_token! };
      delivery = {
        id: deliveryIdFor(request.id, "push_tokens"),
        authRequestId: request.id,
        kind: "push_tokens",
        endpoint: fields.endpoint,
        payload: JSON.stringify(payload),
        nextAttemptAt: fields.now,
        leaseOwner: fields.leaseOwner,
        leaseUntil: fields.leaseUntil,
        createdAt: fields.now,
      };
      return delivery;
    },
  });
  if (!tokens || !delivery) return null;
  return { delivery: { ...delivery, status: "pending", attempts: 0, completedAt: null }, tokens };
}

/** The protocol event for pushed tokens (recorded once the push is on its way, so it does not delay it). */
export function recordPushedTokens(deps: ProviderDeps, request: AuthRequest, tokens: TokenResponse): Promise<void> {
  return recordTokensIssued(deps, request, tokens, "push");
}
