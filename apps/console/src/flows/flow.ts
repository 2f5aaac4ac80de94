// One verification as the console knows it: what the operator asked for, where it stands, what the
// operator sees (timeline) and every protocol message (exchanges). Changes are collected so they can be
// sent to the browser as appended entries instead of the whole flow every time.
import { randomUUID } from "node:crypto";
import type { DeliveryMode } from "@ciba/protocol";
import {
  type Exchange,
  type FlowChange,
  type FlowError,
  type FlowStatus,
  type FlowSummary,
  type FlowView,
  isFinal,
  type TimelineEntry,
  type VerifiedIdentity,
} from "../shared/flow-view";
import type { Transaction } from "../shared/start-flow";

export interface FlowInit {
  operatorId: string;
  mode: DeliveryMode;
  clientId: string;
  loginHint: string;
  hintKind: string;
  scope: string;
  acrValues: string | null;
  bindingMessage: string;
  transaction: Transaction | null;
  requestedExpiry: number | null;
  now: Date;
}

export type TimelineInput = Omit<TimelineEntry, "id" | "at" | "detail"> & { detail?: string | null; at?: Date };
export type ExchangeInput = Omit<Exchange, "id" | "at" | "jwts" | "checks" | "data" | "http" | "spec"> &
  Partial<Pick<Exchange, "jwts" | "checks" | "data" | "http" | "spec">> & { at?: Date };

export class Flow {
  readonly id = randomUUID();
  readonly operatorId: string;
  summary: FlowSummary;
  readonly timeline: TimelineEntry[] = [];
  readonly exchanges: Exchange[] = [];
  /** Provider event sequence numbers already applied (replays after a reconnect repeat some). */
  readonly seenProviderEvents = new Set<number>();
  /** The provider's decision as reported on /monitor, e.g. to tell suspected fraud from a plain denial. */
  providerDecision: { status: string; suspectedFraud: boolean; description: string | null } | null = null;
  /** The operator asked to cancel: an access_denied that follows means "cancelled", not "denied". */
  cancelRequested = false;
  /** A token request for this ping flow is in flight (a duplicate ping must not start another). */
  fetching = false;
  /** Aborts the poll loop and any wait when the flow ends. */
  readonly abort = new AbortController();

  private pendingTimeline: TimelineEntry[] = [];
  private pendingExchanges: Exchange[] = [];

  constructor(init: FlowInit) {
    this.operatorId = init.operatorId;
    this.summary = {
      id: this.id,
      revision: 0,
      created_at: init.now.toISOString(),
      ended_at: null,
      mode: init.mode,
      client_id: init.clientId,
      login_hint: init.loginHint,
      hint_kind: init.hintKind,
      scope: init.scope,
      acr_values: init.acrValues,
      binding_message: init.bindingMessage,
      transaction: init.transaction,
      auth_req_id: null,
      expires_at: null,
      interval: null,
      long_polling: false,
      status: "starting",
      status_detail: null,
      error: null,
      identity: null,
      polls: { total: 0, authorization_pending: 0, slow_down: 0 },
      poll_in_flight: false,
      rejected_notifications: 0,
      cancellable: false,
    };
  }

  get status(): FlowStatus {
    return this.summary.status;
  }

  get ended(): boolean {
    return isFinal(this.summary.status);
  }

  get authReqId(): string | null {
    return this.summary.auth_req_id;
  }

  update(fields: Partial<FlowSummary>): void {
    this.summary = { ...this.summary, ...fields };
  }

  note(entry: TimelineInput): TimelineEntry {
    const { at, detail, ...rest } = entry;
    const full: TimelineEntry = { id: randomUUID(), at: (at ?? new Date()).toISOString(), detail: detail ?? null, ...rest };
    this.timeline.push(full);
    this.pendingTimeline.push(full);
    return full;
  }

  record(exchange: ExchangeInput): Exchange {
    const { at, ...rest } = exchange;
    const full: Exchange = {
      id: randomUUID(),
      at: (at ?? new Date()).toISOString(),
      jwts: [],
      checks: [],
      data: null,
      http: null,
      spec: null,
      ...rest,
    };
    this.exchanges.push(full);
    this.pendingExchanges.push(full);
    return full;
  }

  /** Ends the flow once: later calls are ignored (first outcome wins, as at the provider). */
  finish(status: FlowStatus, fields: { detail?: string | null; error?: FlowError | null; identity?: VerifiedIdentity | null }, now: Date): boolean {
    if (this.ended) return false;
    this.update({
      status,
      status_detail: fields.detail ?? null,
      error: fields.error ?? null,
      identity: fields.identity ?? null,
      ended_at: now.toISOString(),
      cancellable: false,
      poll_in_flight: false,
    });
    this.abort.abort();
    return true;
  }

  /** What changed since the last call: the summary and the entries appended meanwhile. */
  drainChange(): FlowChange {
    this.summary = { ...this.summary, revision: this.summary.revision + 1 };
    const change = { summary: this.summary, timeline: this.pendingTimeline, exchanges: this.pendingExchanges };
    this.pendingTimeline = [];
    this.pendingExchanges = [];
    return change;
  }

  view(): FlowView {
    return { ...this.summary, timeline: [...this.timeline], exchanges: [...this.exchanges] };
  }
}
