import { z } from "zod";
import { authorizationDetailsSchema } from "./backchannel";

/**
 * The Authentication Device API: what a device app (the simulator, or a real banking app) uses to sign
 * the user in, list pending requests and record the user's decision. Not part of CIBA, which leaves the
 * provider-to-device channel out of scope (CIBA Core §8).
 */

export const deviceLoginRequestSchema = z.object({
  login_hint: z.string().trim().min(1, "login_hint is required").max(256),
  pin: z.string().min(1, "pin is required").max(64),
});

export type DeviceLoginRequest = z.infer<typeof deviceLoginRequestSchema>;

export const deviceUserSchema = z.object({ sub: z.string(), name: z.string() });

export type DeviceUser = z.infer<typeof deviceUserSchema>;

export const deviceLoginResponseSchema = z.object({
  device_token: z.string(),
  user: deviceUserSchema,
});

export type DeviceLoginResponse = z.infer<typeof deviceLoginResponseSchema>;

/** A pending request as the device shows it. `id` is the device-facing id, never the `auth_req_id`. */
export const deviceRequestSchema = z.object({
  id: z.string(),
  client_name: z.string(),
  binding_message: z.string().nullable(),
  scope: z.string(),
  acr_values: z.string().nullable(),
  authorization_details: authorizationDetailsSchema.nullable(),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
});

export type DeviceRequest = z.infer<typeof deviceRequestSchema>;

export const deviceRequestListSchema = z.array(deviceRequestSchema);

/** How a request ended, as the device and the console see it. */
export const requestOutcomes = ["approved", "denied", "cancelled", "expired"] as const;
export type RequestOutcome = (typeof requestOutcomes)[number];

/** Why the user denied: a plain refusal, or "I'm not on a call with anyone" (suspected fraud). */
export const denialReasons = ["user_denied", "suspected_fraud"] as const;
export type DenialReason = (typeof denialReasons)[number];

/** Optional body of approve: the PIN, re-confirmed. */
export const approveBodySchema = z
  .object({ pin: z.string().min(1).max(64).optional() })
  .strict();

/** Optional body of deny: the PIN, and why. */
export const denyBodySchema = z
  .object({
    pin: z.string().min(1).max(64).optional(),
    reason: z.enum(denialReasons).optional(),
  })
  .strict();

export type ApproveBody = z.infer<typeof approveBodySchema>;
export type DenyBody = z.infer<typeof denyBodySchema>;

/** The response of approve and deny. */
export const deviceDecisionResponseSchema = z.object({
  id: z.string(),
  status: z.enum(requestOutcomes),
});

export type DeviceDecisionResponse = z.infer<typeof deviceDecisionResponseSchema>;

/** Error body of the Device API (same shape as OAuth errors, so one parser serves both). */
export const deviceErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** One ended request in the signed-in user's history (`GET /device/history`, newest first). */
export const deviceHistoryEntrySchema = z.object({
  id: z.string(),
  client_name: z.string(),
  binding_message: z.string().nullable(),
  scope: z.string(),
  authorization_details: authorizationDetailsSchema.nullable(),
  status: z.enum(requestOutcomes),
  suspected_fraud: z.boolean(),
  description: z.string().nullable(),
  created_at: z.iso.datetime(),
  /** When it was approved, denied, cancelled or expired. */
  decided_at: z.iso.datetime().nullable(),
});

export type DeviceHistoryEntry = z.infer<typeof deviceHistoryEntrySchema>;

export const deviceHistorySchema = z.array(deviceHistoryEntrySchema);

/**
 * A demo user a simulator may offer on its sign-in screen (`GET /device/demo-users`, demo profile only):
 * a name to show and a login hint to sign in with. Never a PIN.
 */
export const demoUserSchema = z.object({ name: z.string(), login_hint: z.string() });

export type DemoUserEntry = z.infer<typeof demoUserSchema>;

export const demoUserListSchema = z.array(demoUserSchema);
