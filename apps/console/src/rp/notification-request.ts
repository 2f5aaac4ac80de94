// What the ping and push handlers see of an incoming notification, and what they answer. Kept free of
// any HTTP framework so the handlers are plain functions (the server adapts Express to this shape).
import type { DeliveryMode } from "@ciba/protocol";

export interface NotificationRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body parsed as JSON, or undefined when it was not JSON. */
  body: unknown;
  rawBody: string;
}

export interface NotificationResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, string> | null;
}

/** The pending request a notification token was issued for. */
export interface NotifiedRequest {
  flowId: string;
  authReqId: string;
  mode: DeliveryMode;
  pending: boolean;
}

export interface NotificationContext {
  findByToken(token: string): NotifiedRequest | null;
}

export type RejectionReason =
  | "missing_bearer"
  | "unknown_bearer"
  | "wrong_endpoint"
  | "malformed_body"
  | "auth_req_id_mismatch"
  | "id_token_invalid";

export interface Rejection {
  reason: RejectionReason;
  description: string;
  /** The request the bearer token belongs to, when it is a known one. */
  request: NotifiedRequest | null;
  /** The auth_req_id the body claims, for logging attempts against a known request. */
  claimedAuthReqId: string | null;
}

export const noContent: NotificationResponse = { status: 204, headers: { "cache-control": "no-store" }, body: null };

/** 401 for a missing or unknown bearer (RFC 6750 §3), 400 for anything else wrong with the notification. */
export function rejectionResponse(rejection: Rejection): NotificationResponse {
  const unauthorized = rejection.reason === "missing_bearer" || rejection.reason === "unknown_bearer" || rejection.reason === "wrong_endpoint";
  if (unauthorized) {
    const challenge =
      rejection.reason === "missing_bearer" ? 'Bearer realm="ciba-console"' : `Bearer realm="ciba-console", error="invalid_token", error_description="${rejection.description}"`;
    return {
      status: 401,
      headers: { "www-authenticate": challenge, "cache-control": "no-store" },
      body: { error: "invalid_token", error_description: rejection.description },
    };
  }
  return {
    status: 400,
    headers: { "cache-control": "no-store" },
    body: { error: "invalid_request", error_description: rejection.description },
  };
}

/** The auth_req_id a body claims, if it has one, whatever else is wrong with it. */
export function claimedAuthReqId(body: unknown): string | null {
  const value = (body as { auth_req_id?: unknown } | null)?.auth_req_id;
  return typeof value === "string" ? value.slice(0, 200) : null;
}
