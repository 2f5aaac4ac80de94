// What the console server tells the operator's browser about a flow: a summary, a timeline for the
// operator and the protocol messages for the inspector. Secrets and tokens are masked before any of
// this is built; the browser never receives a credential.
import { deliveryModes } from "@ciba/protocol";
import { z } from "zod";
import { transactionSchema } from "./start-flow";

export const flowStatuses = [
  "starting",
  "pending",
  "verified",
  "denied",
  "suspected_fraud",
  "expired",
  "cancelled",
  "failed",
] as const;
export type FlowStatus = (typeof flowStatuses)[number];

export const finalStatuses: readonly FlowStatus[] = ["verified", "denied", "suspected_fraud", "expired", "cancelled", "failed"];
export const isFinal = (status: FlowStatus) => finalStatuses.includes(status);

export const tones = ["neutral", "info", "success", "warning", "danger"] as const;
export type Tone = (typeof tones)[number];

export const actors = ["consumption_device", "provider", "authentication_device"] as const;
export type Actor = (typeof actors)[number];

export const timelineEntrySchema = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  /** Who observed it: the console itself (RP side) or the provider's event log. */
  source: z.enum(["console", "provider"]),
  kind: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  tone: z.enum(tones),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

const httpMessageHeaders = z.record(z.string(), z.string());

export const httpExchangeSchema = z.object({
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: httpMessageHeaders,
    body: z.string().nullable(),
  }),
  response: z
    .object({
      status: z.number().int(),
      headers: httpMessageHeaders,
      body: z.string().nullable(),
    })
    .nullable(),
  duration_ms: z.number().nullable(),
  /** A transport failure (connection refused, timeout) instead of a response. */
  error: z.string().nullable(),
});
export type HttpExchange = z.infer<typeof httpExchangeSchema>;

export const checkSchema = z.object({ label: z.string(), ok: z.boolean(), detail: z.string() });
export type Check = z.infer<typeof checkSchema>;

export const decodedJwtSchema = z.object({
  label: z.string(),
  header: z.record(z.string(), z.unknown()),
  claims: z.record(z.string(), z.unknown()),
  signature: z.object({
    status: z.enum(["verified", "invalid", "unchecked"]),
    detail: z.string(),
  }),
});
export type DecodedJwt = z.infer<typeof decodedJwtSchema>;

export const specRefSchema = z.object({ label: z.string(), href: z.url() });
export type SpecRef = z.infer<typeof specRefSchema>;

/** One message of the flow, as a row of the inspector's sequence diagram. */
export const exchangeSchema = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  from: z.enum(actors),
  to: z.enum(actors),
  kind: z.string(),
  title: z.string(),
  /** The outcome in a few words, e.g. "400 authorization_pending". */
  summary: z.string(),
  explanation: z.string(),
  spec: specRefSchema.nullable(),
  tone: z.enum(tones),
  http: httpExchangeSchema.nullable(),
  jwts: z.array(decodedJwtSchema),
  checks: z.array(checkSchema),
  /** Structured details that are not HTTP, e.g. the provider's event payload. */
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type Exchange = z.infer<typeof exchangeSchema>;

export const flowErrorSchema = z.object({
  /** The OAuth error code as the provider sent it, or a console code such as provider_unreachable. */
  code: z.string(),
  description: z.string().nullable(),
  /** Plain language for the operator. */
  title: z.string(),
  advice: z.string().nullable(),
  status: z.number().int().nullable(),
});
export type FlowError = z.infer<typeof flowErrorSchema>;

export const verifiedIdentitySchema = z.object({
  sub: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone_number: z.string().nullable(),
  acr: z.string().nullable(),
  amr: z.array(z.string()).nullable(),
  auth_time: z.number().nullable(),
});
export type VerifiedIdentity = z.infer<typeof verifiedIdentitySchema>;

/** Everything about a flow except its timeline and messages. */
export const flowSummarySchema = z.object({
  id: z.string(),
  /** Grows with every change the server publishes, so a browser can tell a stale snapshot from a newer change. */
  revision: z.number().int().default(0),
  created_at: z.iso.datetime(),
  ended_at: z.iso.datetime().nullable(),
  mode: z.enum(deliveryModes),
  client_id: z.string(),
  login_hint: z.string(),
  hint_kind: z.string(),
  scope: z.string(),
  acr_values: z.string().nullable(),
  binding_message: z.string(),
  transaction: transactionSchema.nullable(),
  auth_req_id: z.string().nullable(),
  expires_at: z.iso.datetime().nullable(),
  interval: z.number().nullable(),
  long_polling: z.boolean(),
  status: z.enum(flowStatuses),
  status_detail: z.string().nullable(),
  error: flowErrorSchema.nullable(),
  identity: verifiedIdentitySchema.nullable(),
  polls: z.object({ total: z.number().int(), authorization_pending: z.number().int(), slow_down: z.number().int() }),
  /** A token request of the poll loop is waiting for its answer (held open when long polling). */
  poll_in_flight: z.boolean(),
  /** Notifications refused because they were forged or malformed. */
  rejected_notifications: z.number().int(),
  cancellable: z.boolean(),
});
export type FlowSummary = z.infer<typeof flowSummarySchema>;

export const flowViewSchema = flowSummarySchema.extend({
  timeline: z.array(timelineEntrySchema),
  exchanges: z.array(exchangeSchema),
});
export type FlowView = z.infer<typeof flowViewSchema>;

/** A change to one flow: its new summary and what was appended since the last change. */
export const flowChangeSchema = z.object({
  summary: flowSummarySchema,
  timeline: z.array(timelineEntrySchema),
  exchanges: z.array(exchangeSchema),
});
export type FlowChange = z.infer<typeof flowChangeSchema>;

export const providerStatusSchema = z.object({
  state: z.enum(["connecting", "up", "down"]),
  provider_url: z.string(),
  issuer: z.string().nullable(),
  error: z.string().nullable(),
  checked_at: z.iso.datetime(),
  modes: z.array(z.enum(deliveryModes)),
  /** Live protocol events from the provider's /monitor namespace, per delivery-mode client. */
  monitor: z.record(z.string(), z.boolean()),
  /** Whether the provider holds polls open (Prefer: wait); null until a poll has shown it. */
  long_polling: z.boolean().nullable(),
  cancel: z.boolean(),
});
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

/** socket.io between the console server and the operator's browser. */
export interface ConsoleServerToBrowserEvents {
  "provider:status": (status: ProviderStatus) => void;
  "flow:changed": (change: FlowChange) => void;
}

export interface ConsoleBrowserToServerEvents {
  /** The full view of one of this operator's flows (null when unknown), e.g. after a reconnect. */
  "flow:get": (id: string, ack: (flow: FlowView | null) => void) => void;
}
