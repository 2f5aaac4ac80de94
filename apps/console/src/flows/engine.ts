// The Relying Party at work: starts a verification (backchannel authentication request), follows it in
// the mode of its client (poll loop, ping then token request, or validated push), completes it (ID token
// validation, UserInfo) and ends it in exactly one final state. Everything it learns becomes timeline
// entries and inspector rows, sent to the operator's browser as it happens.
import { classifyLoginHint, type DeliveryMode, generateBindingCode, loginHintKindLabels, type ProtocolEvent, type TokenResponse } from "@ciba/protocol";
import { cancelRequest } from "../rp/cancel";
import type { ProviderConnection } from "../rp/discovery";
import { classifyProviderError } from "../rp/errors";
import type { ValidatedIdToken } from "../rp/id-token";
import { initiate } from "../rp/initiate";
import type { NotifiedRequest } from "../rp/notification-request";
import { createNotificationTokenRegistry, newNotificationToken } from "../rp/notification-tokens";
import type { RecordedExchange } from "../rp/recorder";
import { plainError } from "../shared/error-messages";
import type { FlowError, FlowSummary, FlowView } from "../shared/flow-view";
import { paymentInitiation, scopeString, type StartFlow } from "../shared/start-flow";
import { complete, endWithError, fetchAfterPing, recordValidation, tokenSummary, validateFor } from "./completion";
import type { EngineContext, EngineDeps, FlowRuntime } from "./context";
import { Flow } from "./flow";
import { backchannelMessage, cancelMessage, outboundKind, setupMessages, tokenMessage, userinfoMessage } from "./messages";
import { learnLongPolling, longPollHeaders, runPollLoop } from "./polling";
import { applyProviderEvent } from "./provider-events";

export type { EngineDeps } from "./context";

export interface FlowEngine {
  start(operatorId: string, input: StartFlow): Promise<FlowView>;
  /** null: no such flow for this operator. */
  cancel(operatorId: string, id: string): Promise<FlowView | null>;
  view(operatorId: string, id: string): FlowView | null;
  list(operatorId: string): FlowSummary[];
  onProviderEvent(mode: DeliveryMode, event: ProtocolEvent): void;
  wantsReplay(mode: DeliveryMode): boolean;
  /** The request a notification bearer token was issued for. */
  findByToken(token: string): NotifiedRequest | null;
  flowById(id: string): Flow | null;
  flowByAuthReqId(authReqId: string): Flow | null;
  /** Emits a flow's changes to its operator (and persists it when it matters). */
  publish(flow: Flow): void;
  /** Ping received and accepted: fetch the tokens. */
  onPing(flow: Flow): void;
  /** Push received and validated: complete with these tokens. */
  onPushedTokens(flow: Flow, tokens: TokenResponse, validated: ValidatedIdToken): void;
  onPushedError(flow: Flow, error: FlowError): void;
  /** Validates a pushed ID token for this flow (the push handler calls it before accepting anything). */
  validatePushedIdToken(flow: Flow, tokens: TokenResponse): Promise<ValidatedIdToken>;
  close(): Promise<void>;
}

/** Ended flows stay reachable this long: late provider events and notifications still attach to them. */
const KEEP_ENDED_MS = 60_000;
/** Events for an auth_req_id not yet acknowledged are kept this long (see keepEarly). */
const EARLY_EVENTS_MS = 60_000;

export function createFlowEngine(deps: EngineDeps): FlowEngine {
  const now = deps.now ?? (() => new Date());
  const pingFallbackMs = deps.pingFallbackMs ?? 15_000;
  const expiryGraceMs = deps.expiryGraceMs ?? 10_000;
  const active = new Map<string, Flow>();
  const byAuthReqId = new Map<string, Flow>();
  const runtimes = new Map<string, FlowRuntime>();
  const tokens = createNotificationTokenRegistry();
  const timers = new Map<string, NodeJS.Timeout[]>();
  const persistedStatus = new Map<string, string>();
  const early = new Map<string, { at: number; events: ProtocolEvent[] }>();

  const ctx: EngineContext = {
    deps,
    now,
    publish(flow) {
      deps.onChange(flow.operatorId, flow.drainChange());
      if (flow.ended || persistedStatus.get(flow.id) !== flow.status) {
        persistedStatus.set(flow.id, flow.status);
        deps.store.save(flow.operatorId, flow.view()).catch((error: unknown) => deps.log.error("could not save the flow history", { error: error as Error }));
      }
    },
    finish(flow, status, fields) {
      if (!flow.finish(status, fields, now())) return;
      for (const timer of timers.get(flow.id) ?? []) clearTimeout(timer);
      timers.delete(flow.id);
      const tone = status === "verified" ? "success" : status === "expired" || status === "cancelled" ? "warning" : "danger";
      flow.note({ source: "console", kind: "final", title: finalTitle(flow), detail: fields.detail ?? fields.error?.description ?? null, tone });
      ctx.publish(flow);
      setTimeout(() => {
        active.delete(flow.id);
        tokens.forget(flow.id);
        if (flow.authReqId) byAuthReqId.delete(flow.authReqId);
        runtimes.delete(flow.id);
      }, KEEP_ENDED_MS).unref();
    },
    runtime: (flow) => runtimes.get(flow.id),
    later(flow, ms, run) {
      const timer = setTimeout(run, ms);
      timer.unref();
      timers.set(flow.id, [...(timers.get(flow.id) ?? []), timer]);
    },
  };

  /** The flow's openid-client Configuration: every request it makes becomes an inspector row. */
  const configure = (flow: Flow, connection: ProviderConnection): FlowRuntime => {
    const endpoints = {
      backchannel: connection.metadata.backchannel_authentication_endpoint,
      token: connection.metadata.token_endpoint,
      userinfo: connection.metadata.userinfo_endpoint,
      cancel: connection.features.cancelEndpoint,
    };
    const runtime: FlowRuntime = { connection, config: undefined as never, pollCount: 0 };
    runtime.config = connection.configFor(deps.clients[flow.summary.mode], {
      extraHeaders: (url, method) => (method === "POST" && outboundKind(url, endpoints) === "token" ? longPollHeaders(ctx, flow, connection) : {}),
      onExchange: (recorded) => recordOutbound(flow, recorded, outboundKind(recorded.request.url, endpoints), runtime.pollCount),
    });
    runtimes.set(flow.id, runtime);
    return runtime;
  };

  const recordOutbound = (flow: Flow, recorded: RecordedExchange, kind: ReturnType<typeof outboundKind>, pollCount: number) => {
    if (kind === "backchannel_authentication") flow.record(backchannelMessage(recorded, flow.summary.client_id));
    if (kind === "userinfo") flow.record(userinfoMessage(recorded));
    if (kind === "cancel") flow.record(cancelMessage(recorded));
    if (kind === "token") {
      flow.record(tokenMessage(recorded, { mode: flow.summary.mode, poll: flow.summary.mode === "poll" ? pollCount : null }));
      learnLongPolling(ctx, flow, recorded);
    }
    ctx.publish(flow);
  };

  /** If the provider never says how the request ended, find out (ping) or end it (push) after expires_in. */
  const armExpiryDeadline = (flow: Flow) => {
    const expiresAt = Date.parse(flow.summary.expires_at ?? "");
    ctx.later(flow, Math.max(0, expiresAt - now().getTime()) + expiryGraceMs, () => {
      if (flow.ended) return;
      if (flow.summary.mode === "ping") return void fetchAfterPing(ctx, flow);
      ctx.finish(flow, "expired", { detail: "no result arrived before the request expired", error: plainError("expired_token", "no notification arrived before expires_in passed", null) });
    });
  };

  /**
   * Events can overtake the acknowledgement (the provider emits request.created and device.notified
   * before it answers): events for unknown auth_req_ids are kept briefly, while one of our flows is
   * being started, and applied once its acknowledgement lands.
   */
  const keepEarly = (event: ProtocolEvent) => {
    const nowMs = Date.now();
    for (const [id, entry] of early) if (nowMs - entry.at > EARLY_EVENTS_MS) early.delete(id);
    if (![...active.values()].some((f) => f.status === "starting")) return;
    const entry = early.get(event.auth_req_id) ?? { at: nowMs, events: [] };
    entry.events.push(event);
    early.set(event.auth_req_id, entry);
  };

  const newFlow = (operatorId: string, input: StartFlow) => {
    const hint = classifyLoginHint(input.login_hint);
    const client = deps.clients[input.delivery_mode];
    const flow = new Flow({
      operatorId,
      mode: input.delivery_mode,
      clientId: client.clientId,
      loginHint: input.login_hint,
      hintKind: hint.kind,
      scope: scopeString(input.scopes),
      acrValues: input.acr_value,
      bindingMessage: generateBindingCode(),
      transaction: input.transaction,
      requestedExpiry: input.requested_expiry,
      now: now(),
    });
    active.set(flow.id, flow);
    flow.note({
      source: "console",
      kind: "request_sent",
      title: "Verification started",
      detail: `${input.delivery_mode} mode as ${client.clientId}; caller identified by ${loginHintKindLabels[hint.kind]}`,
      tone: "info",
    });
    return { flow, hint };
  };

  const engine: FlowEngine = {
    async start(operatorId, input) {
      const { flow, hint } = newFlow(operatorId, input);
      const connection = await deps.link.connection();
      if (!connection) {
        ctx.finish(flow, "failed", { error: plainError("provider_unreachable", deps.link.status().error, null) });
        return flow.view();
      }
      for (const row of setupMessages(connection.discoveryExchange, [], connection.discoveredAt)) flow.record(row);
      const runtime = configure(flow, connection);

      const notificationToken = input.delivery_mode === "poll" ? null : newNotificationToken();
      let ack;
      try {
        ack = await initiate(runtime.config, {
          scope: flow.summary.scope,
          loginHint: hint.value,
          bindingMessage: flow.summary.binding_message,
          acrValues: input.acr_value,
          requestedExpiry: input.requested_expiry,
          authorizationDetails: input.transaction ? [paymentInitiation(input.transaction)] : null,
          clientNotificationToken: notificationToken,
        });
      } catch (error) {
        const failure = await classifyProviderError(error);
        if (failure.kind === "unreachable") void deps.link.refresh();
        flow.note({ source: "console", kind: "request_rejected", title: `Provider refused the request: ${failure.error.code}`, detail: failure.error.description, tone: "danger" });
        ctx.finish(flow, "failed", { error: failure.error, detail: failure.error.title });
        return flow.view();
      }

      if (notificationToken) tokens.register(notificationToken, flow.id);
      byAuthReqId.set(ack.auth_req_id, flow);
      const overtaken = early.get(ack.auth_req_id)?.events ?? [];
      early.delete(ack.auth_req_id);
      flow.update({
        status: "pending",
        auth_req_id: ack.auth_req_id,
        expires_at: new Date(now().getTime() + ack.expires_in * 1000).toISOString(),
        interval: ack.interval ?? null,
        cancellable: true,
      });
      flow.note({
        source: "console",
        kind: "request_accepted",
        title: "Request accepted by the provider",
        detail: `expires in ${ack.expires_in} s${ack.interval ? `, poll every ${ack.interval} s` : ""}; ${waitingFor(input.delivery_mode)}`,
        tone: "success",
      });
      for (const event of overtaken) engine.onProviderEvent(input.delivery_mode, event);
      ctx.publish(flow);
      armExpiryDeadline(flow);
      if (input.delivery_mode === "poll") {
        runPollLoop(ctx, flow, runtime, ack.interval).catch((error: unknown) => {
          deps.log.error("poll loop failed", { flow: flow.id, error: error as Error });
          ctx.finish(flow, "failed", { error: plainError("invalid_response", (error as Error).message, null) });
        });
      }
      return flow.view();
    },

    async cancel(operatorId, id) {
      const flow = active.get(id);
      if (!flow || flow.operatorId !== operatorId) return deps.store.get(operatorId, id);
      if (flow.ended || !flow.authReqId) return flow.view();
      const runtime = runtimes.get(flow.id);
      flow.cancelRequested = true;
      flow.note({ source: "console", kind: "cancel_requested", title: "Operator cancelled the request", detail: null, tone: "warning" });
      ctx.publish(flow);
      const endpoint = runtime?.connection.features.cancelEndpoint ?? null;
      if (!runtime || !endpoint) {
        ctx.finish(flow, "cancelled", {
          detail: "the operator cancelled the request; the provider offers no cancel endpoint, so it stays on the caller's device until it expires",
        });
        return flow.view();
      }
      const result = await cancelRequest(runtime.config, endpoint, deps.clients[flow.summary.mode], flow.authReqId);
      if (result.ok) {
        ctx.finish(flow, "cancelled", { detail: "the operator cancelled the request; the provider took it off the caller's device" });
        return flow.view();
      }
      // invalid_grant: the caller answered (or it expired) first; the flow ends the way it really did.
      const tooLate = result.error.code === "invalid_grant";
      flow.note({
        source: "console",
        kind: "cancel_failed",
        title: tooLate ? "Too late to cancel" : `Provider refused the cancel: ${result.error.code}`,
        detail: result.error.description,
        tone: tooLate ? "warning" : "danger",
      });
      flow.cancelRequested = false;
      ctx.publish(flow);
      return flow.view();
    },

    view(operatorId, id) {
      const flow = active.get(id);
      if (flow) return flow.operatorId === operatorId ? flow.view() : null;
      return deps.store.get(operatorId, id);
    },

    list(operatorId) {
      const current = new Map<string, FlowSummary>();
      for (const flow of deps.store.list(operatorId)) current.set(flow.id, stripDetail(flow));
      for (const flow of active.values()) if (flow.operatorId === operatorId) current.set(flow.id, flow.summary);
      return [...current.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
    },

    onProviderEvent(_mode, event) {
      const flow = byAuthReqId.get(event.auth_req_id);
      if (!flow) return keepEarly(event);
      if (!applyProviderEvent(flow, event)) return;
      if (flow.ended) {
        // "Not on a call" can be reported after the flow already ended as a plain denial.
        if (flow.status === "denied" && flow.providerDecision?.suspectedFraud) {
          flow.update({ status: "suspected_fraud", status_detail: "the caller says they are not on a call with anyone" });
        }
        return ctx.publish(flow);
      }
      ctx.publish(flow);
      if (flow.summary.mode !== "ping") return;
      if (event.type === "request.decided") {
        // The ping should follow at once; if it does not, ask the token endpoint (ping clients may).
        ctx.later(flow, pingFallbackMs, () => {
          if (flow.ended || flow.fetching) return;
          flow.note({ source: "console", kind: "ping_missing", title: "No ping yet: asking the token endpoint", detail: `${pingFallbackMs / 1000} s after the caller answered`, tone: "warning" });
          void fetchAfterPing(ctx, flow);
        });
      }
      // No ping comes at expiry (the provider pings decisions only): the token endpoint confirms it.
      if (event.type === "request.expired") void fetchAfterPing(ctx, flow);
    },

    wantsReplay(mode) {
      return [...active.values()].some((f) => !f.ended && f.summary.mode === mode);
    },

    findByToken(token) {
      const flowId = tokens.lookup(token);
      const flow = flowId ? active.get(flowId) : undefined;
      if (!flow?.authReqId) return null;
      return { flowId: flow.id, authReqId: flow.authReqId, mode: flow.summary.mode, pending: !flow.ended };
    },

    flowById: (id) => active.get(id) ?? null,
    flowByAuthReqId: (authReqId) => byAuthReqId.get(authReqId) ?? null,
    publish: (flow) => ctx.publish(flow),

    onPing(flow) {
      fetchAfterPing(ctx, flow).catch((error: unknown) => deps.log.error("token request after ping failed", { error: error as Error }));
    },

    onPushedTokens(flow, tokenResponse, validated) {
      flow.note({ source: "console", kind: "push_received", title: "Push received: ID token validated", detail: tokenSummary(tokenResponse), tone: "success" });
      recordValidation(ctx, flow, validated.checks, validated.decoded, true);
      ctx.publish(flow);
      complete(ctx, flow, tokenResponse, validated).catch((error: unknown) => deps.log.error("completing a push failed", { error: error as Error }));
    },

    onPushedError(flow, error) {
      flow.note({ source: "console", kind: "push_received", title: `Push received: ${error.code}`, detail: error.description, tone: "warning" });
      endWithError(ctx, flow, error);
    },

    validatePushedIdToken(flow, tokenResponse) {
      const runtime = runtimes.get(flow.id);
      if (!runtime) throw new TypeError("the flow has no provider connection");
      return validateFor(flow, runtime.connection, tokenResponse);
    },

    async close() {
      for (const flow of active.values()) flow.abort.abort();
      for (const list of timers.values()) for (const timer of list) clearTimeout(timer);
      timers.clear();
      await deps.store.flush();
    },
  };
  return engine;
}

function waitingFor(mode: DeliveryMode): string {
  if (mode === "poll") return "the console polls the token endpoint";
  if (mode === "ping") return "waiting for the provider's ping";
  return "waiting for the provider to push the tokens";
}

function finalTitle(flow: Flow): string {
  switch (flow.status) {
    case "verified":
      return `Verified: ${flow.summary.identity?.name ?? "the caller"}`;
    case "denied":
      return "Denied by the caller";
    case "suspected_fraud":
      return "Suspected fraud: the caller is not on a call";
    case "expired":
      return "Expired without an answer";
    case "cancelled":
      return "Cancelled by the operator";
    default:
      return `Failed: ${flow.summary.error?.title ?? "see the inspector"}`;
  }
}

function stripDetail(view: FlowView): FlowSummary {
  const { timeline: _timeline, exchanges: _exchanges, ...summary } = view;
  return summary;
}
