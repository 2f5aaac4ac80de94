// The first step of both notification endpoints (CIBA Core §10.2, §10.3): the provider must present,
// as a bearer token, the client_notification_token the console sent with this very request.
import type { DeliveryMode } from "@ciba/protocol";
import { claimedAuthReqId, type NotificationContext, type NotificationRequest, type NotifiedRequest, type Rejection } from "./notification-request";
import { bearerToken } from "./notification-tokens";

export function authenticateNotification(
  request: NotificationRequest,
  context: NotificationContext,
  endpointMode: Extract<DeliveryMode, "ping" | "push">,
): { request: NotifiedRequest } | { rejection: Rejection } {
  const claimed = claimedAuthReqId(request.body);
  const token = bearerToken(request.headers.authorization);
  if (!token) {
    return { rejection: { reason: "missing_bearer", description: "a bearer client_notification_token is required", request: null, claimedAuthReqId: claimed } };
  }
  const notified = context.findByToken(token);
  if (!notified) {
    return { rejection: { reason: "unknown_bearer", description: "the bearer token is not a client_notification_token this console issued", request: null, claimedAuthReqId: claimed } };
  }
  // A ping token presented at the push endpoint (or the other way round) is not valid there.
  if (notified.mode !== endpointMode) {
    return { rejection: { reason: "wrong_endpoint", description: `the bearer token was issued for a ${notified.mode} request`, request: notified, claimedAuthReqId: claimed } };
  }
  return { request: notified };
}
