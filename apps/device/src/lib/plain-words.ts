// Turning protocol values into the sentences a bank customer reads: scopes, payments, countdowns, times.
import { type AuthorizationDetail, type PaymentInitiation, paymentInitiationSchema } from "@ciba/protocol";

const scopeSentences: Record<string, string> = {
  openid: "Confirm that it's really you",
  profile: "See your name and preferred language",
  email: "See your email address",
  phone: "See your phone number",
  offline_access: "Keep access after this call ends",
  address: "See your postal address",
};

/** One sentence per requested scope, in the order asked, without repeats. */
export function scopeToSentences(scope: string): string[] {
  const scopes = [...new Set(scope.split(" ").filter(Boolean))];
  return scopes.map((s) => scopeSentences[s] ?? `Use the permission "${s}"`);
}

/** The payment initiations among the authorization details (others are shown by type only). */
export function paymentsOf(details: AuthorizationDetail[] | null): PaymentInitiation[] {
  return (details ?? []).flatMap((detail) => {
    const parsed = paymentInitiationSchema.safeParse(detail);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Authorization detail types that are not payments, to name them rather than hide them. */
export function otherDetailTypes(details: AuthorizationDetail[] | null): string[] {
  return (details ?? []).filter((d) => !paymentInitiationSchema.safeParse(d).success).map((d) => d.type);
}

/** The bank's locale: amounts, dates and times read the same on every machine the demo runs on. */
export const LOCALE = "en-GB";

/** "£1,250.00": the amount in its currency. */
export function formatAmount({ amount, currency }: PaymentInitiation["instructedAmount"]): string {
  try {
    return new Intl.NumberFormat(LOCALE, { style: "currency", currency }).format(Number(amount));
  } catch {
    // An ISO code the runtime does not know: show it plainly.
    return `${amount} ${currency}`;
  }
}

/** "GB29 NWBK 6016 1331 9268 19": an IBAN in groups of four, as printed on statements. */
export function formatIban(iban: string): string {
  return iban.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

/** "4:05" for a countdown; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

/** "4 minutes 5 seconds", for screen readers. */
export function spokenCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} ${minutes === 1 ? "minute" : "minutes"}`);
  if (seconds || !minutes) parts.push(`${seconds} ${seconds === 1 ? "second" : "seconds"}`);
  return parts.join(" ");
}

/** "Good morning" / "Good afternoon" / "Good evening" at the given time. */
export function greeting(now: Date): string {
  const hour = now.getHours();
  if (hour < 12) return "Good morning";
  if (hour < 18) return "Good afternoon";
  return "Good evening";
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? "") + (words.length > 1 ? (words.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}

/** "Today, 14:32", "Yesterday, 14:32", "Monday, 14:32" within a week, else "21 Nov, 14:32". */
export function formatWhen(date: Date, now: Date): string {
  const time = date.toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit" });
  const days = (startOfDay(now) - startOfDay(date)) / 86_400_000;
  if (days === 0) return `Today, ${time}`;
  if (days === 1) return `Yesterday, ${time}`;
  if (days > 1 && days < 7) return `${date.toLocaleDateString(LOCALE, { weekday: "long" })}, ${time}`;
  return `${date.toLocaleDateString(LOCALE, { day: "numeric", month: "short" })}, ${time}`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}
