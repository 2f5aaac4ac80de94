// The ping notification endpoint (CIBA Core §10.2): check the bearer token, check that the body is
// exactly {auth_req_id} for the request that token belongs to, answer 204 (also to a late ping for a
// request the console has already ended, which is then ignored). The caller then fetches the
// tokens from the token endpoint; a ping carries no result itself.
import { pingNotificationSchema } from "@ciba/protocol";
import { authenticateNotification } from "./notification-auth";
import {
  claimedAuthReqId,
  noContent,
  type NotificationContext,
  type NotificationRequest,
  type NotificationResponse,
  type NotifiedRequest,
  type Rejection,
  rejectionResponse,
} from "./notification-request";

export type PingOutcome =
  | { accepted: true; request: NotifiedRequest; late: boolean }
  | { accepted: false; rejection: Rejection };

export function handlePing(request: NotificationRequest, context: NotificationContext): { response: NotificationResponse; outcome: PingOutcome } {
  const reject = (rejection: Rejection) => ({ response: rejectionResponse(rejection), outcome: { accepted: false as const, rejection } });

  const authenticated = authenticateNotification(request, context, "ping");
  if ("rejection" in authenticated) return reject(authenticated.rejection);
  const notified = authenticated.request;
  const claimed = claimedAuthReqId(request.body);

  const body = pingNotificationSchema.safeParse(request.body);
  if (!body.success) {
    return reject({ reason: "malformed_body", description: "the ping body must be a JSON object with auth_req_id only", request: notified, claimedAuthReqId: claimed });
  }
  if (body.data.auth_req_id !== notified.authReqId) {
    return reject({ reason: "auth_req_id_mismatch", description: "auth_req_id does not match the request this notification token was issued for", request: notified, claimedAuthReqId: claimed });
  }
  // After the console ended the flow (e.g. the operator cancelled), the provider still pings as it should:
  // acknowledge it, so its delivery does not fail, and do nothing.
  return { response: noContent, outcome: { accepted: true, request: notified, late: !notified.pending } };
}
