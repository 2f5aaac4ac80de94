// The one path by which a request ends: the user's decision on a device, the automated approval
// endpoint, a client's cancel, or expiry. It persists the outcome (first writer wins), records it in
// the protocol event log, tells the user's devices, wakes long-polling token requests, and then
// notifies the client (ping/push).
import type { AuthRequestWithClient } from "@ciba/db";
import type { RequestOutcome } from "@ciba/protocol";
import type { ProviderDeps } from "../deps";
import { toRequestEnded } from "./device-view";

export type Outcome =
  | { status: "approved"; acr: string; amr: string[] }
  | { status: "denied"; suspectedFraud: boolean; description: string }
  | { status: "cancelled"; description: string }
  | { status: "expired" };

/**
 * Ends the request with `outcome`. Returns the ended request, or null when it was not pending any
 * more (already decided, cancelled or expired): the caller turns that into its own error.
 */
export async function completeAuthRequest(
  deps: ProviderDeps,
  requestId: string,
  outcome: Outcome,
): Promise<AuthRequestWithClient | null> {
  const now = deps.clock.now();
  const ended = await persistOutcome(deps, requestId, outcome, now);
  if (!ended) return null;

  if (ended.status === "expired") {
    await deps.events.record("request.expired", ended, {});
  } else {
    await deps.events.record("request.decided", ended, {
      status: ended.status as Exclude<RequestOutcome, "expired">,
      suspected_fraud: ended.suspectedFraud,
      description: ended.outcomeDescription,
      acr: ended.acr,
    });
  }
  deps.realtime.emitToUser(ended.userId, "request:ended", toRequestEnded(ended));
  deps.completions.publish(ended.id);
  await deps.notifier.requestCompleted(ended);
  return ended;
}

async function persistOutcome(deps: ProviderDeps, requestId: string, outcome: Outcome, now: Date) {
  const { authRequests } = deps.repos;
  switch (outcome.status) {
    case "expired":
      return (await authRequests.markExpired(requestId, now)) ? authRequests.findById(requestId) : null;
    case "approved":
      return authRequests.decide(requestId, {
        status: "approved",
        suspectedFraud: false,
        outcomeDescription: null,
        decidedAt: now,
        authTime: now,
        acr: outcome.acr,
        amr: outcome.amr,
      });
    case "denied":
    case "cancelled":
      return authRequests.decide(requestId, {
        status: outcome.status,
        suspectedFraud: outcome.status === "denied" && outcome.suspectedFraud,
        outcomeDescription: outcome.description,
        decidedAt: now,
        authTime: null,
        acr: null,
        amr: null,
      });
  }
}
