// The client notification endpoints as HTTP routes: adapt the request, run the ping or push handler,
// answer, then record the message in the flow's inspector and act on it. A refused notification is
// logged and shown on the flow it claims to be about, never as a success.
import type { Request, RequestHandler, Response } from "express";
import type { Flow } from "../flows/flow";
import type { FlowEngine } from "../flows/engine";
import { maskBody, maskHeaders } from "../rp/mask";
import { handlePing } from "../rp/ping-handler";
import { handlePush } from "../rp/push-handler";
import type { NotificationRequest, NotificationResponse, Rejection } from "../rp/notification-request";
import { tokenJwts } from "../flows/messages";
import { plainError } from "../shared/error-messages";
import type { Exchange } from "../shared/flow-view";
import { spec } from "../shared/spec";
import type { Logger } from "./log";

function toNotificationRequest(req: Request, publicUrl: string): NotificationRequest {
  const rawBody = typeof req.body === "string" ? req.body : "";
  let body: unknown;
  try {
    body = rawBody ? JSON.parse(rawBody) : undefined;
  } catch {
    body = undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
  return { method: req.method, url: new URL(req.originalUrl, publicUrl).toString(), headers, body, rawBody };
}

function send(res: Response, response: NotificationResponse) {
  res.status(response.status).set(response.headers);
  if (response.body) res.json(response.body);
  else res.end();
}

function httpRecord(request: NotificationRequest, response: NotificationResponse, startedAt: number): Exchange["http"] {
  return {
    request: {
      method: request.method,
      url: request.url,
      headers: maskHeaders(request.headers),
      body: maskBody(request.rawBody, request.headers["content-type"] ?? "application/json"),
    },
    response: {
      status: response.status,
      headers: response.headers,
      body: response.body ? JSON.stringify(response.body, null, 2) : null,
    },
    duration_ms: Date.now() - startedAt,
    error: null,
  };
}

/** The flow a refused notification is about: the bearer's request, or the auth_req_id the body claims. */
function flowOfRejection(engine: FlowEngine, rejection: Rejection): Flow | null {
  if (rejection.request) return engine.flowById(rejection.request.flowId);
  return rejection.claimedAuthReqId ? engine.flowByAuthReqId(rejection.claimedAuthReqId) : null;
}

function recordRejection(engine: FlowEngine, log: Logger, kind: "ping" | "push", rejection: Rejection, http: Exchange["http"], checks: Exchange["checks"] = []) {
  log.warn(`refused a ${kind} notification`, { reason: rejection.reason, status: http?.response?.status, description: rejection.description });
  const flow = flowOfRejection(engine, rejection);
  if (!flow) return;
  const label = kind === "ping" ? "Ping" : "Push";
  flow.update({ rejected_notifications: flow.summary.rejected_notifications + 1 });
  flow.note({ source: "console", kind: `${kind}_rejected`, title: `${label} refused (HTTP ${http?.response?.status})`, detail: rejection.description, tone: "danger" });
  flow.record({
    from: "provider",
    to: "consumption_device",
    kind: `${kind}_rejected`,
    title: `${label} notification refused`,
    summary: `${http?.response?.status} ${rejection.reason.replace(/_/g, " ")}`,
    explanation:
      rejection.reason === "missing_bearer" || rejection.reason === "unknown_bearer" || rejection.reason === "wrong_endpoint"
        ? "Only the provider knows the client_notification_token sent with this request; without it a notification is refused with 401."
        : "The notification failed the client's checks, so nothing in it is trusted and the request stays pending.",
    spec: kind === "ping" ? spec.ping : spec.pushTokens,
    tone: "danger",
    http,
    checks,
  });
  engine.publish(flow);
}

function lateNotification(engine: FlowEngine, flow: Flow, kind: "ping" | "push", http: Exchange["http"]) {
  const label = kind === "ping" ? "Ping" : "Push";
  flow.note({ source: "console", kind: `${kind}_late`, title: `${label} after the end: acknowledged, ignored`, detail: null, tone: "neutral" });
  flow.record({
    from: "provider",
    to: "consumption_device",
    kind: `${kind}_late`,
    title: `${label} notification (after the end)`,
    summary: "204 acknowledged, ignored",
    explanation: "The console had already ended this request; it acknowledges the notification so the provider does not retry, and ignores it.",
    spec: kind === "ping" ? spec.ping : spec.push,
    tone: "neutral",
    http,
  });
  engine.publish(flow);
}

export function pingRoute(engine: FlowEngine, publicUrl: string, log: Logger): RequestHandler {
  return (req, res) => {
    const startedAt = Date.now();
    const request = toNotificationRequest(req, publicUrl);
    const { response, outcome } = handlePing(request, engine);
    send(res, response);
    const http = httpRecord(request, response, startedAt);
    if (!outcome.accepted) return recordRejection(engine, log, "ping", outcome.rejection, http);

    const flow = engine.flowById(outcome.request.flowId);
    if (!flow) return;
    if (outcome.late) return lateNotification(engine, flow, "ping", http);
    flow.note({ source: "console", kind: "ping_received", title: "Ping received: bearer token verified", detail: "fetching the result from the token endpoint", tone: "success" });
    flow.record({
      from: "provider",
      to: "consumption_device",
      kind: "ping",
      title: "Ping notification",
      summary: "204 accepted",
      explanation: "The provider tells the client's notification endpoint the result is ready; the bearer token proves it is the provider, about this request.",
      spec: spec.ping,
      tone: "success",
      http,
    });
    engine.publish(flow);
    engine.onPing(flow);
  };
}

export function pushRoute(engine: FlowEngine, publicUrl: string, log: Logger): RequestHandler {
  return async (req, res) => {
    const startedAt = Date.now();
    const request = toNotificationRequest(req, publicUrl);
    const { response, outcome } = await handlePush(request, {
      findByToken: (token) => engine.findByToken(token),
      validateIdToken: (notified, tokens) => {
        const flow = engine.flowById(notified.flowId);
        if (!flow) throw new TypeError("the notified flow is gone");
        return engine.validatePushedIdToken(flow, tokens);
      },
    });
    send(res, response);
    const http = httpRecord(request, response, startedAt);
    if (outcome.kind === "rejected") {
      return recordRejection(engine, log, "push", outcome.rejection, http, outcome.validationError?.checks ?? []);
    }

    const flow = engine.flowById(outcome.request.flowId);
    if (!flow) return;
    if (outcome.kind === "late") return lateNotification(engine, flow, "push", http);
    if (outcome.kind === "error") {
      const { payload } = outcome;
      flow.record({
        from: "provider",
        to: "consumption_device",
        kind: "push_error",
        title: "Push error notification",
        summary: `204 accepted: ${payload.error}`,
        explanation: "The provider reports how the request failed (access_denied, expired_token or transaction_failed) to the notification endpoint.",
        spec: spec.pushError,
        tone: payload.error === "expired_token" ? "warning" : "danger",
        http,
      });
      return engine.onPushedError(flow, plainError(payload.error, payload.error_description ?? null, null));
    }
    flow.record({
      from: "provider",
      to: "consumption_device",
      kind: "push",
      title: "Push token notification",
      summary: "204 accepted: tokens delivered",
      explanation: "The provider delivers the tokens to the notification endpoint; the client accepts them only after validating the ID token.",
      spec: spec.pushTokens,
      tone: "success",
      http,
      jwts: tokenJwts(request.body as Record<string, unknown>),
    });
    engine.onPushedTokens(flow, outcome.tokens, outcome.validated);
  };
}
