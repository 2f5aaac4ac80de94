// Poll mode inside a flow: the loop (its schedule lives in rp/poll.ts), its timeline entries and
// counters, and long polling — asked for with Prefer: wait=N, confirmed by Preference-Applied.
import { DEFAULT_POLL_INTERVAL_SECONDS } from "@ciba/protocol";
import type { ProviderConnection } from "../rp/discovery";
import { pollForTokens } from "../rp/poll";
import type { RecordedExchange } from "../rp/recorder";
import { requestTokens } from "../rp/token-request";
import { settle } from "./completion";
import type { EngineContext, FlowRuntime } from "./context";
import type { Flow } from "./flow";

export function wantsLongPolling(ctx: EngineContext, flow: Flow, connection: ProviderConnection): boolean {
  return flow.summary.mode === "poll" && ctx.deps.longPollSeconds > 0 && connection.features.longPolling !== false;
}

/**
 * The Prefer header for a poll: never longer than the request has left. Harmless where long polling is
 * not offered (RFC 7240: unknown preferences are ignored), so it is tried until the provider shows it.
 */
export function longPollHeaders(ctx: EngineContext, flow: Flow, connection: ProviderConnection): Record<string, string> {
  if (!wantsLongPolling(ctx, flow, connection)) return {};
  const remaining = flow.summary.expires_at ? Math.floor((Date.parse(flow.summary.expires_at) - ctx.now().getTime()) / 1000) : 0;
  return { prefer: `wait=${Math.min(ctx.deps.longPollSeconds, Math.max(1, remaining))}` };
}

/** A held poll comes back with Preference-Applied: wait=N; a plain answer means no long polling here. */
export function learnLongPolling(ctx: EngineContext, flow: Flow, recorded: RecordedExchange): void {
  if (!recorded.request.headers.prefer || !recorded.response) return;
  const { link } = ctx.deps;
  const applied = recorded.response.headers["preference-applied"];
  if (applied?.startsWith("wait=")) {
    if (!flow.summary.long_polling) {
      flow.update({ long_polling: true });
      flow.note({
        source: "console",
        kind: "long_polling",
        title: "Long polling: the provider holds each poll until there is news",
        detail: `Prefer: ${recorded.request.headers.prefer} → Preference-Applied: ${applied}`,
        tone: "info",
      });
    }
    if (link.status().long_polling !== true) link.learned({ longPolling: true });
  } else if (link.status().long_polling !== false) {
    link.learned({ longPolling: false });
  }
}

export async function runPollLoop(ctx: EngineContext, flow: Flow, runtime: FlowRuntime, interval: number | undefined): Promise<void> {
  const longPolling = wantsLongPolling(ctx, flow, runtime.connection);
  let unreachable = false;
  flow.note({
    source: "console",
    kind: "polling_started",
    title: "Polling the token endpoint",
    detail: `at least ${interval ?? DEFAULT_POLL_INTERVAL_SECONDS} s apart${longPolling ? `; asking the provider to hold each request (Prefer: wait=${ctx.deps.longPollSeconds})` : ""}`,
    tone: "neutral",
  });
  ctx.publish(flow);

  const outcome = await pollForTokens({
    interval,
    expiresAt: new Date(flow.summary.expires_at ?? ctx.now()),
    longPolling,
    signal: flow.abort.signal,
    request: () => {
      runtime.pollCount += 1;
      flow.update({ poll_in_flight: true });
      ctx.publish(flow);
      return requestTokens(runtime.config, flow.authReqId ?? "");
    },
    onResult(result, nextInterval) {
      const polls = { ...flow.summary.polls, total: flow.summary.polls.total + 1 };
      if (result.kind === "authorization_pending") polls.authorization_pending += 1;
      if (result.kind === "slow_down") polls.slow_down += 1;
      flow.update({ polls, interval: nextInterval, poll_in_flight: false });
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
        void ctx.deps.link.refresh();
      } else if (result.kind !== "unreachable" && unreachable) {
        unreachable = false;
        flow.note({ source: "console", kind: "provider_reachable", title: "Provider reachable again", detail: null, tone: "info" });
      }
      ctx.publish(flow);
    },
  });
  if (outcome.kind === "aborted") return;
  await settle(ctx, flow, outcome);
}
