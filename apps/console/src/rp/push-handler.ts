// The push notification endpoint (CIBA Core §10.3): check the bearer token; for a token notification
// validate the ID token (signature, iss, aud, exp, at_hash, rt_hash, auth_req_id claim, §10.3.1) before
// accepting anything; for an error notification (§12) take the error. A push that fails any check is
// refused and changes nothing: a forged push must never look like a success.
import { pushErrorNotificationSchema, type PushErrorNotification, pushTokenNotificationSchema, type PushTokenNotification } from "@ciba/protocol";
import { IdTokenValidationError, type ValidatedIdToken } from "./id-token";
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

export interface PushContext extends NotificationContext {
  /** Validates the pushed ID token against this request and the tokens it came with. */
  validateIdToken(request: NotifiedRequest, tokens: PushTokenNotification): Promise<ValidatedIdToken>;
}

export type PushOutcome =
  | { kind: "tokens"; request: NotifiedRequest; tokens: PushTokenNotification; validated: ValidatedIdToken }
  | { kind: "error"; request: NotifiedRequest; payload: PushErrorNotification }
  /** For a request the console has already ended (e.g. cancelled): acknowledged, ignored. */
  | { kind: "late"; request: NotifiedRequest }
  | { kind: "rejected"; rejection: Rejection; validationError: IdTokenValidationError | null };

export async function handlePush(request: NotificationRequest, context: PushContext): Promise<{ response: NotificationResponse; outcome: PushOutcome }> {
  const reject = (rejection: Rejection, validationError: IdTokenValidationError | null = null) => ({
    response: rejectionResponse(rejection),
    outcome: { kind: "rejected" as const, rejection, validationError },
  });

  const authenticated = authenticateNotification(request, context, "push");
  if ("rejection" in authenticated) return reject(authenticated.rejection);
  const notified = authenticated.request;
  const claimed = claimedAuthReqId(request.body);
  const rejection = (reason: Rejection["reason"], description: string): Rejection => ({ reason, description, request: notified, claimedAuthReqId: claimed });

  const isError = typeof (request.body as { error?: unknown } | null)?.error === "string";
  const parsed = isError ? pushErrorNotificationSchema.safeParse(request.body) : pushTokenNotificationSchema.safeParse(request.body);
  if (!parsed.success) {
    return reject(rejection("malformed_body", isError ? "the push error payload is malformed" : "the token notification must carry auth_req_id, access_token, token_type, expires_in and id_token"));
  }
  if (parsed.data.auth_req_id !== notified.authReqId) {
    return reject(rejection("auth_req_id_mismatch", "auth_req_id does not match the request this notification token was issued for"));
  }
  if (!notified.pending) return { response: noContent, outcome: { kind: "late", request: notified } };

  if (isError) return { response: noContent, outcome: { kind: "error", request: notified, payload: parsed.data as PushErrorNotification } };

  const tokens = parsed.data as PushTokenNotification;
  try {
    const validated = await context.validateIdToken(notified, tokens);
    return { response: noContent, outcome: { kind: "tokens", request: notified, tokens, validated } };
  } catch (error) {
    if (!(error instanceof IdTokenValidationError)) throw error;
    return reject(rejection("id_token_invalid", error.message.replace(/^ID token rejected: /, "id_token rejected: ")), error);
  }
}
