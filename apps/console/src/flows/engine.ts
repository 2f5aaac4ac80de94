// The Relying Party at work: starts a verification (backchannel authentication request), follows it in
// the mode of its client (poll loop, ping then token request, or validated push), completes it (ID token
// validation, UserInfo) and ends it in exactly one final state. Everything it learns becomes timeline
// entries and inspector rows, sent to the operator's browser as it happens.
import { classifyLoginHint, DEFAULT_POLL_INTERVAL_SECONDS, type DeliveryMode, generateBindingCode, loginHintKindLabels, type ProtocolEvent, type TokenResponse } from "@ciba/protocol";
import type * as oidc from "openid-client";
import type { RpClients } from "../rp/clients";
import type { ProviderConnection } from "../rp/discovery";
import { classifyProviderError } from "../rp/errors";
import { IdTokenValidationError, validateIdToken, type ValidatedIdToken } from "../rp/id-token";
import { initiate } from "../rp/initiate";
import { createNotificationTokenRegistry, newNotificationToken } from "../rp/notification-tokens";
import type { NotifiedRequest } from "../rp/notification-request";
import { pollForTokens } from "../rp/poll";
import type { ProviderLink } from "../rp/provider-link";
import type { RecordedExchange } from "../rp/recorder";
import { requestTokens, type TokenResult } from "../rp/token-request";
import { fetchUserinfo } from "../rp/userinfo";
import type { Logger } from "../server/log";
import { plainError } from "../shared/error-messages";
import type { FlowChange, FlowError, FlowSummary, FlowView } from "../shared/flow-view";
import { paymentInitiation, scopeString, type StartFlow } from "../shared/start-flow";
import { spec } from "../shared/spec";
import { cancelRequest } from "../rp/cancel";
import { Flow } from "./flow";
import { backchannelMessage, cancelMessage, outboundKind, setupMessages, tokenMessage, userinfoMessage } from "./messages";
import { applyProviderEvent } from "./provider-events";
import type { HistoryStore } from "./store";

export interface EngineDeps {
  link: ProviderLink;
  clients: RpClients;
  store: HistoryStore;
  log: Logger;
  /** Seconds to ask for with Prefer: wait=N when the provider offers long polling. */
  longPollSeconds: number;
  onChange(operatorId: string, change: FlowChange): void;
  now?: () => Date;
  /** After an approval, how long a ping client waits for its ping before asking the token endpoint anyway. */
  pingFallbackMs?: number;
  /** After expires_in, how long to wait for the provider's word before ending the flow as expired. */
  expiryGraceMs?: number;
}

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
  /** Validates a pushed ID token for this flow (used by the push handler before accepting). */
  validatePushedIdToken(flow: Flow, tokens: TokenResponse): Promise<ValidatedIdToken>;
  close(): Promise<void>;
}

export function createFlowEngine(deps: EngineDeps): FlowEngine {
  const now = deps.now ?? (() => new Date());
  const pingFallbackMs = deps.pingFallbackMs ?? 15_000;
  const expiryGraceMs = deps.expiryGraceMs ?? 10_000;
  const active = new Map<string, Flow>();
  const byAuthReqId = new Map<string, Flow>();
  const tokens = createNotificationTokenRegistry();
  const timers = new Map<string, NodeJS.Timeout[]>();
  const configs = new Map<string, { connection: ProviderConnection; config: oidc.Configuration; pollCount: number }>();
  let lastPersistedStatus = new Map<string, string>();
  // Events can overtake the acknowledgement (the provider emits request.created and device.notified
  // before it answers): keep events for unknown auth_req_ids briefly and apply them once the ack lands.
  const early = new Map<string, { at: number; events: ProtocolEvent[] }>();
  const EARLY_EVENTS_MS = 60_000;

  const publish = (flow: Flow) => {
    const change = flow.drainChange();
    deps.onChange(flow.operatorId, change);
    if (flow.ended || lastPersistedStatus.get(flow.id) !== flow.status) {
      lastPersistedStatus.set(flow.id, flow.status);
      deps.store.save(flow.operatorId, flow.view()).catch((error: unknown) => deps.log.error("could not save the flow history", { error: error as Error }));
    }
  };

  const later = (flow: Flow, ms: number, run: () => void) => {
    const timer = setTimeout(run, ms);
    timer.unref();
    timers.set(flow.id, [...(timers.get(flow.id) ?? []), timer]);
  };

  /** Ends a flow in its final state, once, and lets go of everything it held. */
  const finish = (flow: Flow, status: FlowSummary["status"], fields: Parameters<Flow["finish"]>[1]) => {
    if (!flow.finish(status, fields, now())) return;
    for (const timer of timers.get(flow.id) ?? []) clearTimeout(timer);
    timers.delete(flow.id);
    const tone = status === "verified" ? "success" : status === "expired" || status === "cancelled" ? "warning" : "danger";
    flow.note({ source: "console", kind: "final", title: finalTitle(flow), detail: fields.detail ?? fields.error?.description ?? null, tone });
    publish(flow);
    // Keep ended flows around briefly: late provider events (tokens.issued, delivery log) still attach.
    setTimeout(() => {
      active.delete(flow.id);
      tokens.forget(flow.id);
      if (flow.authReqId) byAuthReqId.delete(flow.authReqId);
      configs.delete(flow.id);
    }, 60_000).unref();
  };

  /** The flow's openid-client Configuration: every request it makes becomes an inspector row. */
  const configure = (flow: Flow, connection: ProviderConnection) => {
    const client = deps.clients[flow.summary.mode];
    const endpoints = {
      backchannel: connection.metadata.backchannel_authentication_endpoint,
      token: connection.metadata.token_endpoint,
      userinfo: connection.metadata.userinfo_endpoint,
      cancel: connection.features.cancelEndpoint,
    };
    const state = { connection, config: null as unknown as oidc.Configuration, pollCount: 0 };
    state.config = connection.configFor(client, {
      extraHeaders(url, method): Record<string, string> {
        // Long polling (a provider extension): ask the provider to hold a pending answer up to N seconds.
        // Harmless where unsupported (RFC 7240: unknown preferences are ignored), so it is tried first.
        if (!wantsLongPolling(flow, connection) || method !== "POST" || outboundKind(url, endpoints) !== "token") return {};
        const remaining = flow.summary.expires_at ? Math.floor((Date.parse(flow.summary.expires_at) - now().getTime()) / 1000) : 0;
        const wait = Math.min(deps.longPollSeconds, Math.max(1, remaining));
        return { prefer: `wait=${wait}` };
      },
      onExchange(recorded) {
        recordOutbound(flow, recorded, outboundKind(recorded.request.url, endpoints), state.pollCount);
      },
    });
    configs.set(flow.id, state);
    return state;
  };

  const recordOutbound = (flow: Flow, recorded: RecordedExchange, kind: ReturnType<typeof outboundKind>, pollCount: number) => {
    switch (kind) {
      case "backchannel_authentication":
        flow.record(backchannelMessage(recorded, flow.summary.client_id));
        break;
      case "token":
        flow.record(tokenMessage(recorded, { mode: flow.summary.mode, poll: flow.summary.mode === "poll" ? pollCount : null }));
        learnLongPolling(flow, recorded);
        break;
      case "userinfo":
        flow.record(userinfoMessage(recorded));
        break;
      case "cancel":
        flow.record(cancelMessage(recorded));
        break;
      case "other":
        break;
    }
    publish(flow);
  };

  const wantsLongPolling = (flow: Flow, connection: ProviderConnection) =>
    flow.summary.mode === "poll" && deps.longPollSeconds > 0 && connection.features.longPolling !== false;

  /** A held poll comes back with Preference-Applied: wait=N; a plain answer means no long polling here. */
  const learnLongPolling = (flow: Flow, recorded: RecordedExchange) => {
    if (!recorded.request.headers.prefer || !recorded.response) return;
    const applied = recorded.response.headers["preference-applied"];
    if (applied?.startsWith("wait=")) {
      if (!flow.summary.long_polling) {
        flow.update({ long_polling: true });
        flow.note({ source: "console", kind: "long_polling", title: "Long polling: the provider holds each poll until there is news", detail: `Prefer: ${recorded.request.headers.prefer} → Preference-Applied: ${applied}`, tone: "info" });
      }
      if (deps.link.status().long_polling !== true) deps.link.learned({ longPolling: true });
    } else if (deps.link.status().long_polling !== false) {
      deps.link.learned({ longPolling: false });
    }
  };

  /** What a token request's failure means for the flow: which final state, and why. */
  const endWithError = (flow: Flow, error: FlowError) => {
    const decision = flow.providerDecision;
    if (error.code === "access_denied") {
      if (flow.cancelRequested || decision?.status === "cancelled") return finish(flow, "cancelled", { detail: "the operator cancelled the request", error });
      const fraud = decision?.suspectedFraud ?? /suspected fraud/i.test(error.description ?? "");
      if (fraud) return finish(flow, "suspected_fraud", { detail: "the caller says they are not on a call with anyone", error });
      return finish(flow, "denied", { detail: "the caller declined on their device", error });
    }
    if (error.code === "expired_token") return finish(flow, "expired", { detail: "the caller did not answer before the request expired", error });
    return finish(flow, "failed", { error, detail: error.title });
  };

  /** Tokens in hand (token endpoint or validated push): validate the ID token, read UserInfo, verified. */
  const complete = async (flow: Flow, tokenResponse: TokenResponse, validated: ValidatedIdToken | null) => {
    const state = configs.get(flow.id);
    if (!state || flow.ended) return;
    let idToken = validated;
    if (!idToken) {
      if (!tokenResponse.id_token) return finish(flow, "failed", { error: plainError("invalid_response", "the token response has no id_token although openid was requested", null) });
      try {
        idToken = await validateFor(flow, state.connection, tokenResponse);
      } catch (error) {
        if (!(error instanceof IdTokenValidationError)) throw error;
        recordValidation(flow, error.checks, error.decoded, false);
        return finish(flow, "failed", { error: plainError("id_token_invalid", error.message, null) });
      }
      recordValidation(flow, idToken.checks, idToken.decoded, true);
    }
    const claims = idToken.claims;
    flow.note({ source: "console", kind: "id_token_validated", title: "ID token validated", detail: idToken.checks.map((c) => c.label.replace(/ \(.*\)$/, "")).join(", "), tone: "success" });
    publish(flow);

    let userinfo: Awaited<ReturnType<typeof fetchUserinfo>> | null = null;
    let userinfoProblem: string | null = null;
    try {
      userinfo = await fetchUserinfo(state.config, tokenResponse.access_token, String(claims.sub));
      flow.note({ source: "console", kind: "userinfo", title: "Caller's details read from UserInfo", detail: [userinfo.name, userinfo.email, userinfo.phone_number].filter(Boolean).join(" · ") || null, tone: "success" });
    } catch (error) {
      userinfoProblem = (await classifyProviderError(error)).error.description;
      flow.note({ source: "console", kind: "userinfo", title: "UserInfo could not be read", detail: userinfoProblem, tone: "warning" });
    }
    finish(flow, "verified", {
      detail: userinfoProblem ? `verified by the ID token; UserInfo failed: ${userinfoProblem}` : null,
      identity: {
        sub: String(claims.sub),
        name: userinfo?.name ?? null,
        email: userinfo?.email ?? null,
        phone_number: userinfo?.phone_number ?? null,
        acr: typeof claims.acr === "string" ? claims.acr : null,
        amr: Array.isArray(claims.amr) ? claims.amr.map(String) : null,
        auth_time: typeof claims.auth_time === "number" ? claims.auth_time : null,
      },
    });
  };

  const validateFor = (flow: Flow, connection: ProviderConnection, tokenResponse: TokenResponse) =>
    validateIdToken(tokenResponse.id_token ?? "", connection.keys, {
      issuer: connection.issuer,
      clientId: flow.summary.client_id,
      authReqId: flow.authReqId ?? "",
      accessToken: tokenResponse.access_token,
      refreshToken: tokenResponse.refresh_token ?? null,
      requireBindingClaims: flow.summary.mode === "push",
      algorithms: connection.idTokenAlgorithms,
    });

  const recordValidation = (flow: Flow, checks: ValidatedIdToken["checks"], decoded: ValidatedIdToken["decoded"] | null, ok: boolean) => {
    const connection = configs.get(flow.id)?.connection;
    // The first validation fetches the JWKS; show that fetch where it happened.
    for (const row of setupMessages(null, connection?.jwksExchanges.splice(0) ?? [], now())) flow.record(row);
    flow.record({
      from: "consumption_device",
      to: "consumption_device",
      kind: "id_token_validation",
      title: "ID token validation",
      summary: ok ? `${checks.length} checks passed` : `rejected: ${checks.at(-1)?.detail ?? "invalid"}`,
      explanation: "The client checks the signature against the provider's JWKS and iss, aud, exp; at_hash, rt_hash and auth_req_id bind the ID token to the tokens and this request.",
      spec: flow.summary.mode === "push" ? spec.pushTokens : spec.idTokenValidation,
      tone: ok ? "success" : "danger",
      jwts: decoded ? [decoded] : [],
      checks,
    });
  };

  /** One token request for a ping client (after its ping, or to learn an outcome it was not pinged about). */
  const fetchAfterPing = async (flow: Flow) => {
    const state = configs.get(flow.id);
    if (!state || flow.ended || flow.fetching || !flow.authReqId) return;
    flow.fetching = true;
    const result = await requestTokens(state.config, flow.authReqId);
    flow.fetching = false;
    await settle(flow, result);
  };

  /** Applies a token endpoint answer that ends the wait (poll or ping). */
  const settle = async (flow: Flow, result: TokenResult) => {
    if (flow.ended) return;
    switch (result.kind) {
      case "tokens":
        flow.note({ source: "console", kind: "tokens_received", title: "Tokens received from the token endpoint", detail: tokenSummary(result.tokens), tone: "success" });
        publish(flow);
        return complete(flow, result.tokens, null);
      case "failed":
        return endWithError(flow, result.error);
      case "invalid_response":
        return finish(flow, "failed", { error: result.error });
      case "unreachable":
        flow.note({ source: "console", kind: "provider_unreachable", title: "Provider unreachable", detail: result.error.description, tone: "warning" });
        publish(flow);
        return;
      case "authorization_pending":
      case "slow_down":
        // A ping client asked before there was a result (e.g. the ping fallback raced the decision).
        flow.note({ source: "console", kind: "poll", title: `Token endpoint: ${result.kind}`, detail: result.error.description, tone: "neutral" });
        publish(flow);
        return;
    }
  };

  const runPollLoop = async (flow: Flow, state: { config: oidc.Configuration; pollCount: number; connection: ProviderConnection }, interval: number | undefined) => {
    let unreachable = false;
    const longPolling = wantsLongPolling(flow, state.connection);
    flow.note({
      source: "console",
      kind: "polling_started",
      title: "Polling the token endpoint",
      detail: `at least ${interval ?? DEFAULT_POLL_INTERVAL_SECONDS} s apart${longPolling ? `; asking the provider to hold each request (Prefer: wait=${deps.longPollSeconds})` : ""}`,
      tone: "neutral",
    });
    publish(flow);
    const outcome = await pollForTokens({
      interval,
      expiresAt: new Date(flow.summary.expires_at ?? now()),
      longPolling,
      signal: flow.abort.signal,
      request: () => {
        state.pollCount += 1;
        flow.update({ poll_in_flight: true });
        publish(flow);
        return requestTokens(state.config, flow.authReqId ?? "");
      },
      onResult(result, nextInterval) {
        flow.update({ poll_in_flight: false });
        const polls = { ...flow.summary.polls, total: flow.summary.polls.total + 1 };
        if (result.kind === "authorization_pending") polls.authorization_pending += 1;
        if (result.kind === "slow_down") polls.slow_down += 1;
        flow.update({ polls, interval: nextInterval });
        if (result.kind === "authorization_pending" || result.kind === "slow_down") {
          flow.note({
            source: "console",
            kind: "poll",
            title: result.kind === "slow_down" ? `Polled too early: slow_down, interval now ${nextInterval} s` : "Polled: authorization_pending",
            detail: result.error.description,
            tone: result.kind === "slow_down" ? "warning" : "neutral",
          });
        }
        if (result.kind === "unreachable" && !unreachable) {
          unreachable = true;
          flow.note({ source: "console", kind: "provider_unreachable", title: "Provider unreachable, still polling", detail: result.error.description, tone: "warning" });
          void deps.link.refresh();
        } else if (result.kind !== "unreachable" && unreachable) {
          unreachable = false;
          flow.note({ source: "console", kind: "provider_reachable", title: "Provider reachable again", detail: null, tone: "info" });
        }
        publish(flow);
      },
    });
    if (outcome.kind === "aborted") return;
    await settle(flow, outcome);
  };

  /** If the provider never says how the request ended, end it ourselves shortly after expires_in. */
  const armExpiryDeadline = (flow: Flow) => {
    const expiresAt = Date.parse(flow.summary.expires_at ?? "");
    later(flow, Math.max(0, expiresAt - now().getTime()) + expiryGraceMs, () => {
      if (flow.ended) return;
      if (flow.summary.mode === "ping") return void fetchAfterPing(flow);
      finish(flow, "expired", { detail: "no result arrived before the request expired", error: plainError("expired_token", "no notification arrived before expires_in passed", null) });
    });
  };

  const keepEarly = (event: ProtocolEvent) => {
    const nowMs = Date.now();
    for (const [id, entry] of early) if (nowMs - entry.at > EARLY_EVENTS_MS) early.delete(id);
    // Only while a flow of ours is being started can an unknown id be ours.
    if (![...active.values()].some((f) => f.status === "starting")) return;
    const entry = early.get(event.auth_req_id) ?? { at: nowMs, events: [] };
    entry.events.push(event);
    early.set(event.auth_req_id, entry);
  };

  const engine: FlowEngine = {
    async start(operatorId, input) {
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

      const connection = await deps.link.connection();
      if (!connection) {
        finish(flow, "failed", { error: plainError("provider_unreachable", deps.link.status().error, null) });
        return flow.view();
      }
      for (const row of setupMessages(connection.discoveryExchange, [], connection.discoveredAt)) flow.record(row);
      const state = configure(flow, connection);

      const notificationToken = input.delivery_mode === "poll" ? null : newNotificationToken();
      let ack;
      try {
        ack = await initiate(state.config, {
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
        finish(flow, "failed", { error: failure.error, detail: failure.error.title });
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
      publish(flow);
      armExpiryDeadline(flow);
      if (input.delivery_mode === "poll") {
        runPollLoop(flow, state, ack.interval).catch((error: unknown) => {
          deps.log.error("poll loop failed", { flow: flow.id, error: error as Error });
          finish(flow, "failed", { error: plainError("invalid_response", (error as Error).message, null) });
        });
      }
      return flow.view();
    },

    async cancel(operatorId, id) {
      const flow = active.get(id);
      if (!flow || flow.operatorId !== operatorId) return deps.store.get(operatorId, id);
      if (flow.ended || !flow.authReqId) return flow.view();
      const state = configs.get(flow.id);
      flow.cancelRequested = true;
      flow.note({ source: "console", kind: "cancel_requested", title: "Operator cancelled the request", detail: null, tone: "warning" });
      publish(flow);
      const endpoint = state?.connection.features.cancelEndpoint ?? null;
      if (state && endpoint) {
        const result = await cancelRequest(state.config, endpoint, deps.clients[flow.summary.mode], flow.authReqId);
        if (!result.ok) {
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
          publish(flow);
          return flow.view();
        }
        finish(flow, "cancelled", { detail: "the operator cancelled the request; the provider took it off the caller's device" });
      } else {
        finish(flow, "cancelled", {
          detail: "the operator cancelled the request; the provider offers no cancel endpoint, so it stays on the caller's device until it expires",
        });
      }
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
        return publish(flow);
      }
      publish(flow);
      if (flow.summary.mode === "ping" && event.type === "request.decided") {
        // The ping should follow at once; if it does not, ask the token endpoint (ping clients may).
        later(flow, pingFallbackMs, () => {
          if (flow.ended || flow.fetching) return;
          flow.note({ source: "console", kind: "ping_missing", title: "No ping yet: asking the token endpoint", detail: `${pingFallbackMs / 1000} s after the caller answered`, tone: "warning" });
          void fetchAfterPing(flow);
        });
      }
      if (flow.summary.mode === "ping" && event.type === "request.expired") void fetchAfterPing(flow);
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
    publish,

    onPing(flow) {
      void fetchAfterPing(flow).catch((error: unknown) => deps.log.error("token request after ping failed", { error: error as Error }));
    },

    onPushedTokens(flow, tokenResponse, validated) {
      flow.note({ source: "console", kind: "push_received", title: "Push received: ID token validated", detail: tokenSummary(tokenResponse), tone: "success" });
      recordValidation(flow, validated.checks, validated.decoded, true);
      publish(flow);
      void complete(flow, tokenResponse, validated).catch((error: unknown) => deps.log.error("completing a push failed", { error: error as Error }));
    },

    onPushedError(flow, error) {
      flow.note({ source: "console", kind: "push_received", title: `Push received: ${error.code}`, detail: error.description, tone: "warning" });
      endWithError(flow, error);
    },

    validatePushedIdToken(flow, tokenResponse) {
      const state = configs.get(flow.id);
      if (!state) throw new TypeError("the flow has no provider connection");
      return validateFor(flow, state.connection, tokenResponse);
    },

    async close() {
      for (const flow of active.values()) flow.abort.abort();
      for (const list of timers.values()) for (const timer of list) clearTimeout(timer);
      timers.clear();
      lastPersistedStatus = new Map();
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

function tokenSummary(tokens: TokenResponse): string {
  return [tokens.id_token ? "ID token" : null, "access token", tokens.refresh_token ? "refresh token" : null, `expires in ${tokens.expires_in} s`]
    .filter(Boolean)
    .join(", ");
}

function finalTitle(flow: Flow): string {
  const who = flow.summary.identity?.name ?? "the caller";
  switch (flow.status) {
    case "verified":
      return `Verified: ${who}`;
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
