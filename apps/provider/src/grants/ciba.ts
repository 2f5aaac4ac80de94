// The CIBA grant (urn:openid:params:grant-type:ciba, CIBA Core §10.1 and §11) as the poll state machine:
//   push client                → unauthorized_client
//   unknown or foreign id      → invalid_grant
//   already redeemed           → invalid_grant, and what it issued is revoked
//   denied or cancelled        → access_denied
//   expired                    → expired_token
//   pending, polled too soon   → slow_down, interval + 5 s from now on
//   pending                    → authorization_pending
//   pending, Prefer: wait=N    → held until it ends or N s pass, then as above (long polling extension)
//   approved                   → tokens, exactly once
import type { AuthRequest, Client } from "@ciba/db";
import { SLOW_DOWN_INCREMENT_SECONDS, type TokenResponse } from "@ciba/protocol";
import type { Request } from "express";
import { holdUntilEnded, longPollSeconds } from "../delivery/long-poll";
import type { ProviderDeps } from "../deps";
import { OAuthError } from "../errors";
import { recordTokensIssued, redeemApprovedRequest } from "./issue-tokens";
import type { GrantHandler, TokenRequestContext } from "./types";

export const cibaGrant: GrantHandler = async (deps, client, params, req, context) => {
  rejectPushClient(client);
  const request = await findOwnRequest(deps, client, params.auth_req_id);
  return answer(deps, client, request, context, req);
};

/** The answer for the request as it is now; with `req`, a pending request may be held (long polling). */
async function answer(
  deps: ProviderDeps,
  client: Client,
  request: AuthRequest,
  context: TokenRequestContext,
  req?: Request,
): Promise<TokenResponse> {
  const now = deps.clock.now();
  if (request.consumedAt) return rejectRedeemedTwice(deps, request, now);
  switch (request.status) {
    case "approved":
      return redeem(deps, client, request, now, context.dpopJkt);
    case "denied":
    case "cancelled":
      await recordPoll(deps, request, "access_denied", request.interval);
      throw new OAuthError("access_denied", request.outcomeDescription ?? "the end-user denied the authorization request", {
        status: 400,
      });
    case "expired":
      return rejectExpired(deps, request);
    case "pending": {
      if (now >= request.expiresAt) return rejectExpired(deps, request);
      const seconds = req ? longPollSeconds(deps, req) : null;
      // Once held, the request is answered as it then is, and never held a second time.
      const hold = req && seconds ? { seconds, req, then: (ended: AuthRequest) => answer(deps, client, ended, context) } : undefined;
      return pollPending(deps, request, now, hold);
    }
  }
}

/** How a pending request's token request is held (long polling), and how it is answered once the request ends. */
interface Hold {
  seconds: number;
  req: Request;
  then(ended: AuthRequest): Promise<TokenResponse>;
}

/** CIBA Core §10.1: a push client must not call the token endpoint with the CIBA grant. */
function rejectPushClient(client: Client) {
  if (client.deliveryMode === "push") {
    throw new OAuthError(
      "unauthorized_client",
      "the client is registered for push mode and receives its tokens at its notification endpoint",
    );
  }
}

/** CIBA Core §11: an auth_req_id that is invalid or was issued to another client is invalid_grant. */
async function findOwnRequest(deps: ProviderDeps, client: Client, authReqId: string | undefined) {
  if (!authReqId) throw new OAuthError("invalid_request", "auth_req_id is required");
  const request = await deps.repos.authRequests.findByAuthReqId(authReqId);
  if (!request || request.clientId !== client.clientId) {
    throw new OAuthError("invalid_grant", "auth_req_id is unknown or was issued to another client");
  }
  return request;
}

async function recordPoll(
  deps: ProviderDeps,
  request: AuthRequest,
  result: "authorization_pending" | "slow_down" | "access_denied" | "expired_token" | "invalid_grant",
  interval: number,
) {
  await deps.events.record("request.polled", request, { result, interval });
}

/** A second redemption is a replay: refuse it and revoke the grant it produced (as for codes, RFC 6749 §4.1.2). */
async function rejectRedeemedTwice(deps: ProviderDeps, request: AuthRequest, now: Date): Promise<never> {
  const grant = await deps.repos.grants.findByAuthRequestId(request.id);
  if (grant) await deps.repos.grants.revoke(grant.id, now);
  await recordPoll(deps, request, "invalid_grant", request.interval);
  throw new OAuthError("invalid_grant", "auth_req_id has already been redeemed; the tokens issued for it are revoked");
}

async function rejectExpired(deps: ProviderDeps, request: AuthRequest): Promise<never> {
  await recordPoll(deps, request, "expired_token", request.interval);
  throw new OAuthError("expired_token", "the auth_req_id has expired; make a new authentication request");
}

/**
 * Enforces the interval (CIBA Core §7.3, §11): a poll before it has passed is slow_down and raises it by 5 s.
 * A held poll counts from its start; it is answered by `hold.then` if the request ends while held.
 */
export async function pollPending(deps: ProviderDeps, request: AuthRequest, now: Date, hold?: Hold): Promise<TokenResponse> {
  const elapsedMs = request.lastPolledAt ? now.getTime() - request.lastPolledAt.getTime() : Infinity;
  const tooSoon = elapsedMs < request.interval * 1000;
  const interval = tooSoon ? request.interval + SLOW_DOWN_INCREMENT_SECONDS : request.interval;
  await deps.repos.authRequests.recordPoll(request.id, now, interval);
  if (tooSoon) {
    await recordPoll(deps, request, "slow_down", interval);
    await deps.events.record("request.slowed_down", request, { interval });
    throw new OAuthError("slow_down", `polling too fast: wait at least ${interval} seconds between token requests`);
  }
  if (hold) {
    const ended = await holdUntilEnded(deps, request, hold.seconds, hold.req);
    if (ended) return hold.then(ended);
  }
  await recordPoll(deps, request, "authorization_pending", interval);
  throw new OAuthError("authorization_pending", "the end-user has not yet been authenticated");
}

/** Issues the tokens for an approved request; of concurrent redemptions exactly one wins. */
async function redeem(deps: ProviderDeps, client: Client, request: AuthRequest, now: Date, dpopJkt: string | null): Promise<TokenResponse> {
  const response = await redeemApprovedRequest(deps, { client, request, now, dpopJkt });
  if (!response) throw new OAuthError("invalid_grant", "auth_req_id has already been redeemed");
  await recordTokensIssued(deps, request, response, "token_endpoint");
  return response;
}
