import { z } from "zod";
import { deliveryModes } from "./constants";
import { attemptOutcomes, deliveryKinds } from "./delivery";
import { type deviceRequestSchema, requestOutcomes } from "./device";

/**
 * Live events over socket.io. Two namespaces:
 * - `/device`: an Authentication Device, authenticated with its device token, hears about its user's
 *   requests only;
 * - `/monitor`: a client (the operator console's server side), authenticated with its client
 *   credentials, hears the protocol events of its own requests only.
 * Every payload has a zod schema so receivers validate what arrives.
 */

export const DEVICE_NAMESPACE = "/device";
export const MONITOR_NAMESPACE = "/monitor";

export const requestEndedSchema = z.object({
  id: z.string(),
  status: z.enum(requestOutcomes),
  suspected_fraud: z.boolean(),
  description: z.string().nullable(),
});

export type RequestEnded = z.infer<typeof requestEndedSchema>;

export interface DeviceServerToClientEvents {
  /** A new request for this device's user. */
  "request:created": (request: z.infer<typeof deviceRequestSchema>) => void;
  /** A request left the pending state: decided (here or elsewhere), cancelled or expired. */
  "request:ended": (ended: RequestEnded) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- devices only listen
export interface DeviceClientToServerEvents {}

const eventBase = {
  /** Position in the provider's protocol event log. */
  seq: z.number().int(),
  at: z.iso.datetime(),
  auth_req_id: z.string(),
  client_id: z.string(),
};

const pollResults = ["authorization_pending", "slow_down", "access_denied", "expired_token", "invalid_grant"] as const;

/**
 * One state change of a backchannel authentication request, as written to the protocol event log.
 */
export const protocolEventSchema = z.discriminatedUnion("type", [
  z.object({
    ...eventBase,
    type: z.literal("request.created"),
    data: z.object({
      sub: z.string(),
      scope: z.string(),
      binding_message: z.string().nullable(),
      delivery_mode: z.enum(deliveryModes),
      hint_type: z.string(),
      expires_in: z.number(),
      interval: z.number().nullable(),
    }),
  }),
  z.object({
    ...eventBase,
    type: z.literal("device.notified"),
    data: z.object({ devices: z.number().int() }),
  }),
  z.object({
    ...eventBase,
    type: z.literal("request.polled"),
    data: z.object({ result: z.enum(pollResults), interval: z.number() }),
  }),
  z.object({
    ...eventBase,
    type: z.literal("request.slowed_down"),
    data: z.object({ interval: z.number() }),
  }),
  z.object({
    ...eventBase,
    type: z.literal("request.decided"),
    data: z.object({
      status: z.enum(requestOutcomes),
      suspected_fraud: z.boolean(),
      description: z.string().nullable(),
      acr: z.string().nullable(),
    }),
  }),
  z.object({
    ...eventBase,
    type: z.literal("tokens.issued"),
    data: z.object({
      via: z.enum(["token_endpoint", "push"]),
      token_type: z.string(),
      scope: z.string(),
      refresh_token: z.boolean(),
    }),
  }),
  z.object({
    ...eventBase,
    type: z.literal("request.expired"),
    data: z.object({}),
  }),
  z.object({
    ...eventBase,
    type: z.literal("delivery.attempted"),
    data: z.object({
      delivery_id: z.string(),
      kind: z.enum(deliveryKinds),
      attempt: z.number().int(),
      http_status: z.number().int().nullable(),
      error: z.string().nullable(),
      latency_ms: z.number(),
      outcome: z.enum(attemptOutcomes),
    }),
  }),
]);

export type ProtocolEvent = z.infer<typeof protocolEventSchema>;
export type ProtocolEventType = ProtocolEvent["type"];
export type ProtocolEventData<T extends ProtocolEventType> = Extract<ProtocolEvent, { type: T }>["data"];

export interface MonitorServerToClientEvents {
  "protocol:event": (event: ProtocolEvent) => void;
}

export interface MonitorClientToServerEvents {
  /** Replays this client's events after `after_seq` (e.g. after a reconnect), answered through the ack. */
  "events:since": (afterSeq: number, ack: (events: ProtocolEvent[]) => void) => void;
}
