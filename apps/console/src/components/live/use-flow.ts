"use client";
// One flow, kept current: loaded, then merged with every live change. Changes that arrive while the
// flow is (re)loading are kept and merged on top; entries are de-duplicated by id, so a reload after
// a reconnect never shows anything twice or loses anything.
import { useCallback, useEffect, useRef, useState } from "react";
import type { FlowChange, FlowView } from "@/shared/flow-view";
import { useLive } from "./live-context";

export function mergeChange(flow: FlowView, change: FlowChange): FlowView {
  if (change.summary.id !== flow.id) return flow;
  const timelineIds = new Set(flow.timeline.map((t) => t.id));
  const exchangeIds = new Set(flow.exchanges.map((e) => e.id));
  return {
    ...flow,
    ...change.summary,
    timeline: [...flow.timeline, ...change.timeline.filter((t) => !timelineIds.has(t.id))],
    exchanges: [...flow.exchanges, ...change.exchanges.filter((e) => !exchangeIds.has(e.id))],
  };
}

export type FlowState = { state: "idle" } | { state: "loading" } | { state: "missing" } | { state: "ready"; flow: FlowView };

export function useFlow(id: string | null): [FlowState, (flow: FlowView) => void] {
  const live = useLive();
  const [state, setState] = useState<FlowState>(id ? { state: "loading" } : { state: "idle" });
  const buffered = useRef<FlowChange[]>([]);

  const load = useCallback(async () => {
    if (!id) return;
    buffered.current = [];
    const flow = await live.getFlow(id).catch(() => null);
    setState((current) => {
      if (!flow) return current.state === "ready" ? current : { state: "missing" };
      const merged = buffered.current.reduce(mergeChange, flow);
      buffered.current = [];
      return { state: "ready", flow: merged };
    });
  }, [id, live]);

  useEffect(() => {
    if (!id) {
      setState({ state: "idle" });
      return;
    }
    setState((current) => (current.state === "ready" && current.flow.id === id ? current : { state: "loading" }));
    const unsubscribe = live.subscribe((change) => {
      if (change.summary.id !== id) return;
      setState((current) => {
        if (current.state === "ready") return { state: "ready", flow: mergeChange(current.flow, change) };
        buffered.current.push(change);
        return current;
      });
    });
    const unReconnect = live.onReconnect(() => void load());
    void load();
    return () => {
      unsubscribe();
      unReconnect();
    };
  }, [id, live, load]);

  const replace = useCallback((flow: FlowView) => setState({ state: "ready", flow }), []);
  return [state, replace];
}
