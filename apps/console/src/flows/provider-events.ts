// What the provider's protocol events (socket.io /monitor) add to a flow: timeline entries for the
// operator, inspector rows for the messages the console cannot see itself (provider ↔ device), and the
// provider's record of the decision (which tells "not on a call" apart from a plain denial).
import type { ProtocolEvent } from "@ciba/protocol";
import { spec } from "../shared/spec";
import type { Flow } from "./flow";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Applies one event; returns false when it was already applied (a replay). */
export function applyProviderEvent(flow: Flow, event: ProtocolEvent): boolean {
  if (flow.seenProviderEvents.has(event.seq)) return false;
  flow.seenProviderEvents.add(event.seq);
  const at = new Date(event.at);
  const base = { at, source: "provider" as const };

  switch (event.type) {
    case "request.created":
      flow.note({
        ...base,
        kind: "provider_created",
        title: "Provider accepted and stored the request",
        detail: `binding message ${event.data.binding_message ?? "none"} · expires in ${event.data.expires_in} s`,
        tone: "neutral",
      });
      break;
    case "device.notified": {
      const { devices } = event.data;
      flow.note({
        ...base,
        kind: "device_notified",
        title: devices > 0 ? `Caller's device notified (${plural(devices, "device")} online)` : "No device online for this caller yet",
        detail: devices > 0 ? "waiting for the caller to read the code and answer" : "the request waits on the provider until the caller opens the app",
        tone: devices > 0 ? "info" : "warning",
      });
      flow.record({
        at,
        from: "provider",
        to: "authentication_device",
        kind: "device_notified",
        title: "Request shown on the Authentication Device",
        summary: devices > 0 ? `delivered to ${plural(devices, "device")}` : "no device online; shown when the app opens",
        explanation: "The provider puts the request and its binding message on the caller's device; CIBA leaves this channel to the provider (here: socket.io).",
        spec: spec.consent,
        tone: devices > 0 ? "info" : "warning",
        data: { ...event.data },
      });
      break;
    }
    case "request.decided": {
      const { status, suspected_fraud, description, acr } = event.data;
      flow.providerDecision = { status, suspectedFraud: suspected_fraud, description };
      const title =
        status === "approved"
          ? "Caller approved on their device"
          : suspected_fraud
            ? "Caller says they are not on a call"
            : status === "cancelled"
              ? "Provider cancelled the request"
              : "Caller declined on their device";
      flow.note({ ...base, kind: "decision", title, detail: status === "approved" ? (acr ? `acr ${acr}` : null) : description, tone: status === "approved" ? "success" : "danger" });
      if (status !== "cancelled") {
        flow.record({
          at,
          from: "authentication_device",
          to: "provider",
          kind: "decision",
          title: status === "approved" ? "Caller approves" : suspected_fraud ? "Caller reports suspected fraud" : "Caller declines",
          summary: status === "approved" ? `approved${acr ? ` (${acr})` : ""}` : suspected_fraud ? "denied: not on a call" : "denied",
          explanation:
            status === "approved"
              ? "The caller compared the binding code with the one read to them and approved with their PIN."
              : suspected_fraud
                ? "The caller was not on a call with anyone: somebody else started this request, so the provider flags suspected fraud."
                : "The caller declined the request on their device.",
          spec: spec.consent,
          tone: status === "approved" ? "success" : "danger",
          data: { ...event.data },
        });
      }
      break;
    }
    case "request.expired":
      flow.note({ ...base, kind: "expired", title: "Request expired at the provider", detail: "nobody answered within expires_in", tone: "warning" });
      flow.record({
        at,
        from: "provider",
        to: "provider",
        kind: "expired",
        title: "Request expires",
        summary: "expired without a decision",
        explanation: "Nobody answered within expires_in: the request is over and the token endpoint now answers expired_token.",
        spec: spec.tokenError,
        tone: "warning",
      });
      break;
    case "tokens.issued":
      flow.note({
        ...base,
        kind: "tokens_issued",
        title: event.data.via === "push" ? "Provider issued tokens and pushed them" : "Provider issued tokens at the token endpoint",
        detail: `scope ${event.data.scope}${event.data.refresh_token ? ", with a refresh token" : ""}`,
        tone: "info",
      });
      break;
    case "delivery.attempted": {
      const { kind, attempt, http_status, error, latency_ms, outcome } = event.data;
      const what = kind === "ping" ? "Ping" : kind === "push_tokens" ? "Token push" : "Error push";
      const result = http_status !== null ? `HTTP ${http_status}` : (error ?? "no answer");
      flow.note({
        ...base,
        kind: "delivery_attempt",
        title: `${what} ${outcome === "delivered" ? "delivered" : outcome === "retrying" ? "failed, provider will retry" : "failed"} (attempt ${attempt})`,
        detail: `${result} in ${Math.round(latency_ms)} ms`,
        tone: outcome === "delivered" ? "neutral" : outcome === "retrying" ? "warning" : "danger",
      });
      // A failed attempt never reached the console, so only the provider's log shows it.
      if (outcome !== "delivered") {
        flow.record({
          at,
          from: "provider",
          to: "consumption_device",
          kind: "delivery_failed",
          title: `${what} attempt ${attempt} failed`,
          summary: result,
          explanation: "The provider could not deliver to the client's notification endpoint; it retries server errors and timeouts, never a 4xx.",
          spec: kind === "ping" ? spec.ping : spec.push,
          tone: outcome === "retrying" ? "warning" : "danger",
          data: { ...event.data },
        });
      }
      break;
    }
    case "request.polled":
    case "request.slowed_down":
      // The console's own token requests already show these, with the full HTTP exchange.
      break;
  }
  return true;
}
