// What the operator submits to start a verification, validated by the console server and the form.
import { acrValuesSupported, deliveryModes, paymentInitiationSchema, type PaymentInitiation } from "@ciba/protocol";
import { z } from "zod";

/** Scopes the operator can pick; `openid` is always sent (CIBA Core §7.1). */
export const optionalScopes = ["profile", "email", "phone", "offline_access"] as const;
export type OptionalScope = (typeof optionalScopes)[number];

export const currencies = ["GBP", "EUR", "USD", "CHF"] as const;

/**
 * Lifetimes the operator can ask for (requested_expiry); the provider may shorten them. The short ones
 * let a demo (or a browser test) show expiry without waiting minutes.
 */
export const expiryChoices = [15, 30, 60, 120, 300, 600] as const;

/** "15 seconds", "1 minute", "5 minutes". */
export function expiryLabel(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = seconds / 60;
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export const transactionSchema = z.object({
  amount: z
    .string()
    .trim()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, "enter an amount such as 125.00"),
  currency: z.enum(currencies),
  creditor: z.string().trim().min(1, "enter who is being paid").max(140, "at most 140 characters"),
  reference: z.string().trim().max(140, "at most 140 characters").default(""),
});

export type Transaction = z.infer<typeof transactionSchema>;

export const startFlowSchema = z.object({
  login_hint: z
    .string()
    .trim()
    .min(1, "enter the caller's e-mail address, phone number or customer number")
    .max(256, "at most 256 characters"),
  delivery_mode: z.enum(deliveryModes),
  scopes: z.array(z.enum(optionalScopes)).max(optionalScopes.length).default([]),
  acr_value: z.enum(acrValuesSupported).nullable().default(null),
  /** Seconds; the screen offers `expiryChoices`, the provider clamps to its own maximum. */
  requested_expiry: z.number().int().min(1).max(3600).nullable().default(null),
  transaction: transactionSchema.nullable().default(null),
});

export type StartFlowInput = z.input<typeof startFlowSchema>;
export type StartFlow = z.output<typeof startFlowSchema>;

/** The space-separated scope string sent to the provider, openid first. */
export function scopeString(scopes: readonly OptionalScope[]): string {
  return ["openid", ...optionalScopes.filter((s) => scopes.includes(s))].join(" ");
}

/** The RFC 9396 payment_initiation details for a transaction (validated again by the shared schema). */
export function paymentInitiation(transaction: Transaction): PaymentInitiation {
  const detail: PaymentInitiation = {
    type: "payment_initiation",
    instructedAmount: { currency: transaction.currency, amount: normalizeAmount(transaction.amount) },
    creditorName: transaction.creditor,
  };
  if (transaction.reference) detail.remittanceInformationUnstructured = transaction.reference;
  return paymentInitiationSchema.parse(detail);
}

/** "125" → "125.00", "3.5" → "3.50": amounts read the same on both screens. */
export function normalizeAmount(amount: string): string {
  const [units = "0", cents = ""] = amount.trim().split(".");
  return `${units}.${cents.padEnd(2, "0")}`;
}
