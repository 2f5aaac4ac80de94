import { z } from "zod";

/**
 * Parameters of a backchannel authentication request as they arrive in the form body (all strings),
 * before any semantic validation. Client authentication parameters are not part of it.
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.7.1
 */
export const backchannelAuthenticationParams = [
  "scope",
  "client_notification_token",
  "acr_values",
  "login_hint_token",
  "id_token_hint",
  "login_hint",
  "binding_message",
  "user_code",
  "requested_expiry",
  "request",
  "authorization_details",
  "request_context",
] as const;

export type BackchannelAuthenticationParam = (typeof backchannelAuthenticationParams)[number];

/**
 * Successful acknowledgement of a backchannel authentication request.
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.7.3
 */
export const backchannelAuthenticationResponseSchema = z.object({
  /** At least 160 bits of randomness, characters A-Z a-z 0-9 . - _ only. */
  auth_req_id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  expires_in: z.number().int().positive(),
  /** Minimum seconds between polls; absent for push clients. */
  interval: z.number().int().positive().optional(),
});

export type BackchannelAuthenticationResponse = z.infer<typeof backchannelAuthenticationResponseSchema>;

/**
 * RFC 6750 §2.1 b64token syntax, required of `client_notification_token` (CIBA Core §7.1), ≤ 1024 chars.
 */
export const clientNotificationTokenSchema = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9._~+/-]+=*$/);

/**
 * A `payment_initiation` authorization details object (RFC 9396 §2), the transaction an operator asks the
 * caller to confirm.
 * @see https://www.rfc-editor.org/rfc/rfc9396#section-2
 */
export const paymentInitiationSchema = z.object({
  type: z.literal("payment_initiation"),
  instructedAmount: z.object({
    currency: z.string().regex(/^[A-Z]{3}$/, "currency must be an ISO 4217 code such as EUR"),
    amount: z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, "amount must be a decimal string such as 123.50"),
  }),
  creditorName: z.string().min(1).max(140),
  creditorAccount: z.object({ iban: z.string().min(1).max(34) }).optional(),
  remittanceInformationUnstructured: z.string().max(140).optional(),
});

export type PaymentInitiation = z.infer<typeof paymentInitiationSchema>;

/** Any authorization details entry: a known type is validated strictly, others only need a `type`. */
export const authorizationDetailSchema = z.looseObject({ type: z.string().min(1) }).superRefine((detail, ctx) => {
  if (detail.type !== "payment_initiation") return;
  const result = paymentInitiationSchema.safeParse(detail);
  for (const issue of result.error?.issues ?? []) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  }
});

export const authorizationDetailsSchema = z.array(authorizationDetailSchema).min(1).max(10);

export type AuthorizationDetail = z.infer<typeof authorizationDetailSchema>;
