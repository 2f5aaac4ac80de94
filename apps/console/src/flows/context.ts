// What the parts of the flow engine share: its collaborators, the clock, and the few operations every
// part needs (publish a change, end a flow, find a flow's provider configuration, schedule a timer).
import type * as oidc from "openid-client";
import type { RpClients } from "../rp/clients";
import type { ProviderConnection } from "../rp/discovery";
import type { ProviderLink } from "../rp/provider-link";
import type { Logger } from "../server/log";
import type { FlowChange, FlowSummary } from "../shared/flow-view";
import type { Flow } from "./flow";
import type { HistoryStore } from "./store";

export interface EngineDeps {
  link: ProviderLink;
  clients: RpClients;
  store: HistoryStore;
  log: Logger;
  /** Seconds to ask for with Prefer: wait=N in poll mode (long polling); 0 turns it off. */
  longPollSeconds: number;
  onChange: (operatorId: string, change: FlowChange) => void;
  now?: () => Date;
  /** After an approval, how long a ping client waits for its ping before asking the token endpoint anyway. */
  pingFallbackMs?: number;
  /** After expires_in, how long to wait for the provider's word before ending the flow as expired. */
  expiryGraceMs?: number;
}

/** A flow's link to the provider: the connection it started on and its recording openid-client Configuration. */
export interface FlowRuntime {
  connection: ProviderConnection;
  config: oidc.Configuration;
  /** Token requests sent by the poll loop so far. */
  pollCount: number;
}

export interface EngineContext {
  deps: EngineDeps;
  now(): Date;
  /** Emits the flow's changes to its operator, and persists the flow when its status changed. */
  publish(flow: Flow): void;
  /** Ends the flow in a final state (once; later calls are ignored). */
  finish(flow: Flow, status: FlowSummary["status"], fields: Parameters<Flow["finish"]>[1]): void;
  runtime(flow: Flow): FlowRuntime | undefined;
  /** A timer that is cleared when the flow ends. */
  later(flow: Flow, ms: number, run: () => void): void;
}
