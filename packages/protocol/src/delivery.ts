import { z } from "zod";

/**
 * The delivery log of ping and push notifications (a provider extension, not part of CIBA): what was
 * sent to a client's notification endpoint for one auth_req_id, and every attempt made.
 */

export const deliveryKinds = ["ping", "push_tokens", "push_error"] as const;
export type DeliveryKind = (typeof deliveryKinds)[number];

/** pending: not yet acknowledged and still to be tried; delivered: a 2xx came back; failed: given up. */
export const deliveryStatuses = ["pending", "delivered", "failed"] as const;

/** What one attempt meant: acknowledged, to be retried, or the last word. */
export const attemptOutcomes = ["delivered", "retrying", "failed"] as const;

export const deliveryAttemptSchema = z.object({
  attempt: z.number().int().positive(),
  started_at: z.iso.datetime(),
  latency_ms: z.number().int().nonnegative(),
  /** The endpoint's HTTP status, or null when none came back (refused, network error, timeout). */
  http_status: z.number().int().nullable(),
  error: z.string().nullable(),
  outcome: z.enum(attemptOutcomes),
});

export const deliverySchema = z.object({
  id: z.string(),
  kind: z.enum(deliveryKinds),
  endpoint: z.string(),
  status: z.enum(deliveryStatuses),
  attempts: z.number().int().nonnegative(),
  /** When the next attempt is due; null once the delivery is over. */
  next_attempt_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable(),
  log: z.array(deliveryAttemptSchema),
});

/** `GET /ciba/deliveries?auth_req_id=…` (or POST with a form body), client-authenticated. */
export const deliveryLogResponseSchema = z.object({
  auth_req_id: z.string(),
  deliveries: z.array(deliverySchema),
});

export type DeliveryAttemptEntry = z.infer<typeof deliveryAttemptSchema>;
export type DeliveryEntry = z.infer<typeof deliverySchema>;
export type DeliveryLogResponse = z.infer<typeof deliveryLogResponseSchema>;
