/**
 * How a `login_hint` names a user. CIBA leaves the format to the provider (CIBA Core §7.1: "an email
 * address, phone number, account number, subject identifier, username, etc."); this provider accepts an
 * e-mail address, an E.164 phone number, a customer number, or the subject identifier itself.
 * The operator console uses the same rules to recognise what was typed.
 */

export type LoginHintKind = "email" | "phone_number" | "customer_number" | "sub";

export interface ClassifiedLoginHint {
  kind: LoginHintKind;
  /** The hint in the form stored on the user (trimmed, e-mail lower-cased, phone digits only after "+"). */
  value: string;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164: "+", a non-zero country code digit, at most 15 digits in all. */
const e164Pattern = /^\+[1-9]\d{6,14}$/;
/** Customer numbers are 6 to 12 digits, e.g. 40012345. */
const customerNumberPattern = /^\d{6,12}$/;

/** Classifies a login hint; visual separators in phone numbers ("+44 20 7946-0000") are tolerated. */
export function classifyLoginHint(raw: string): ClassifiedLoginHint {
  const hint = raw.trim();
  if (emailPattern.test(hint)) return { kind: "email", value: hint.toLowerCase() };
  const compact = hint.replace(/[\s().-]/g, "");
  if (compact.startsWith("+") && e164Pattern.test(compact)) return { kind: "phone_number", value: compact };
  if (customerNumberPattern.test(hint)) return { kind: "customer_number", value: hint };
  return { kind: "sub", value: hint };
}

export const loginHintKindLabels: Record<LoginHintKind, string> = {
  email: "e-mail address",
  phone_number: "phone number",
  customer_number: "customer number",
  sub: "subject identifier",
};
