// Formatting shared by the screens. Times render in the operator's locale and time zone.
import type { DeliveryMode } from "@ciba/protocol";
import type { Transaction } from "@/shared/start-flow";

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const fullDateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium" });

export const formatTime = (iso: string) => time.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatFullDateTime = (date: Date) => fullDateTime.format(date);

/** "4:05" */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** "4 minutes 5 seconds", for screen readers. */
export function spokenDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (seconds || !minutes) parts.push(`${seconds} second${seconds === 1 ? "" : "s"}`);
  return parts.join(" ");
}

export function formatDuration(fromIso: string, toIso: string | null): string {
  if (!toIso) return "—";
  const seconds = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function formatMoney(transaction: Transaction): string {
  const amount = Number(transaction.amount);
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency: transaction.currency }).format(amount);
  } catch {
    return `${transaction.amount} ${transaction.currency}`;
  }
}

export const modeLabels: Record<DeliveryMode, string> = { poll: "Poll", ping: "Ping", push: "Push" };

export const modeDescriptions: Record<DeliveryMode, string> = {
  poll: "The console asks the provider's token endpoint until the caller has answered.",
  ping: "The provider calls the console back when the caller has answered; the console then fetches the tokens.",
  push: "The provider delivers the tokens to the console; the console validates them before trusting them.",
};

export const actorLabels = {
  consumption_device: "Consumption Device",
  provider: "OpenID Provider",
  authentication_device: "Authentication Device",
} as const;

export const hintKindLabels: Record<string, string> = {
  email: "E-mail address",
  phone_number: "Phone number",
  customer_number: "Customer number",
  sub: "Subject identifier",
};
