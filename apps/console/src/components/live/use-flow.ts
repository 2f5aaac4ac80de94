"use client";
// One flow, kept current: loaded, then merged with every live change. A snapshot and the live changes
// can overtake each other (the snapshot request is in flight while changes arrive), so merging keeps
// the newer summary by revision and the union of entries, de-duplicated by id: nothing is shown twice,
// nothing is lost, and a stale snapshot never turns the clock back.
import { useCallback, useEffect, useState } from "react";
import type { FlowChange, FlowView } from "@/shared/flow-view";
import { useLive } from "./live-context";

function union<T extends { id: string }>(base: T[], extra: T[]): T[] {
  const ids = new Set(base.map((e) => e.id));
  return [...base, ...extra.filter((e) => !ids.has(e.id))];
}

export function mergeChange(flow: FlowView, change: FlowChange): FlowView {
  if (change.summary.id !== flow.id) return flow;
  const summary = change.summary.revision >= flow.revision ? change.summary : flow;
  return { ...flow, ...summary, timeline: union(flow.timeline, change.timeline), exchanges: union(flow.exchanges, change.exchanges) };
}

/** Merges two views of the same flow: the newer one is the base, the other adds what it lacks. */
export function mergeViews(a: FlowView, b: FlowView): FlowView {
  const [newer, older] = a.revision >= b.revision ? [a, b] : [b, a];
  return { ...newer, timeline: union(newer.timeline, older.timeline), exchanges: union(newer.exchanges, older.exchanges) };
}

export type FlowState = { state: "idle" } | { state: "loading" } | { state: "missing" } | { state: "ready"; flow: FlowView };

export function useFlow(id: string | null): [FlowState, (flow: FlowView) => void] {
  const live = useLive();
  const [state, setState] = useState<FlowState>(id ? { state: "loading" } : { state: "idle" });

  const load = useCallback(async () => {
    if (!id) return;
    const snapshot = await live.getFlow(id).catch(() => null);
    setState((current) => {
      const known = current.state === "ready" && current.flow.id === id ? current.flow : null;
      if (!snapshot) return known ? current : { state: "missing" };
      return { state: "ready", flow: known ? mergeViews(known, snapshot) : snapshot };
    });
  }, [id, live]);

  useEffect(() => {
    if (!id) {
      setState({ state: "idle" });
      return;
    }
    setState((current) => (current.state === "ready" && current.flow.id === id ? current : { state: "loading" }));
    // Changes that arrive before the snapshot are kept and merged into it.
    let early: FlowChange[] = [];
    const unsubscribe = live.subscribe((change) => {
      if (change.summary.id !== id) return;
      setState((current) => {
        if (current.state === "ready" && current.flow.id === id) return { state: "ready", flow: mergeChange(current.flow, change) };
        early = [...early, change];
        return current;
      });
    });
    const unReconnect = live.onReconnect(() => void load());
    void load().then(() => {
      const pending = early;
      early = [];
      if (pending.length) setState((current) => (current.state === "ready" ? { state: "ready", flow: pending.reduce(mergeChange, current.flow) } : current));
    });
    return () => {
      unsubscribe();
      unReconnect();
    };
  }, [id, live, load]);

  const replace = useCallback(
    (flow: FlowView) => setState((current) => ({ state: "ready", flow: current.state === "ready" && current.flow.id === flow.id ? mergeViews(current.flow, flow) : flow })),
    [],
  );
  return [state, replace];
}
