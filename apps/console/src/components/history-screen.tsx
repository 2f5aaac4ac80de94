"use client";
// This operator's verifications, newest first, with their outcomes; kept by the console in its own
// history file. Rows update live while a flow is still running.
import { ArrowRight, Inbox } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { FlowSummary } from "@/shared/flow-view";
import { formatDateTime, formatDuration, formatMoney, hintKindLabels } from "./format";
import { useLive } from "./live/live-context";
import { ModeBadge, StatusBadge } from "./status-badge";

export function HistoryScreen() {
  const live = useLive();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    try {
      const response = await fetch("/api/flows", { cache: "no-store" });
      const body = (await response.json()) as { flows: FlowSummary[] };
      setFlows(body.flows);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);

  useEffect(() => {
    void load();
    const unsubscribe = live.subscribe((change) =>
      setFlows((current) => {
        if (!current) return current;
        const index = current.findIndex((f) => f.id === change.summary.id);
        if (index < 0) return [change.summary, ...current];
        if (change.summary.revision < current[index]!.revision) return current;
        const next = [...current];
        next[index] = change.summary;
        return next;
      }),
    );
    const unReconnect = live.onReconnect(() => void load());
    return () => {
      unsubscribe();
      unReconnect();
    };
  }, [live, load]);

  const counts = (flows ?? []).reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.status]: (acc[f.status] ?? 0) + 1 }), {});

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-lg font-semibold text-slate-900">History</h1>
          <p className="mt-1 text-sm text-slate-500">Your verifications on this console, newest first.</p>
        </div>
        {flows && flows.length > 0 && (
          <dl className="flex gap-2 text-xs">
            {(["verified", "denied", "suspected_fraud", "expired", "cancelled", "failed"] as const).map((status) =>
              counts[status] ? (
                <div key={status} className="flex items-center gap-1.5">
                  <dt>
                    <StatusBadge status={status} />
                  </dt>
                  <dd className="font-semibold tabular-nums text-slate-700">{counts[status]}</dd>
                </div>
              ) : null,
            )}
          </dl>
        )}
      </div>

      {failed && (
        <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
          The history could not be loaded. The console server may be restarting.
        </p>
      )}

      {flows === null ? (
        <div className="card h-64 animate-pulse" aria-busy="true" aria-label="Loading the history" />
      ) : flows.length === 0 ? (
        <div className="card flex flex-col items-center px-6 py-14 text-center">
          <Inbox aria-hidden className="size-8 text-slate-300" />
          <p className="mt-3 text-sm font-medium text-slate-900">No verifications yet</p>
          <p className="mt-1 text-sm text-slate-500">Verifications you start appear here with their outcome.</p>
          <Link href="/" className="btn-primary mt-5">
            Verify a caller
          </Link>
        </div>
      ) : (
        <div className="card overflow-x-auto">
          <table className="w-full min-w-[880px] text-left text-sm">
            <caption className="sr-only">Verifications with their outcomes</caption>
            <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-3">Started</th>
                <th scope="col" className="px-3 py-3">Caller</th>
                <th scope="col" className="px-3 py-3">Mode</th>
                <th scope="col" className="px-3 py-3">Outcome</th>
                <th scope="col" className="px-3 py-3">Details</th>
                <th scope="col" className="px-3 py-3">Took</th>
                <th scope="col" className="px-5 py-3"><span className="sr-only">Inspector</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {flows.map((flow) => (
                <tr key={flow.id} className="hover:bg-slate-50/60">
                  <td className="whitespace-nowrap px-5 py-3 text-slate-600">{formatDateTime(flow.created_at)}</td>
                  <td className="px-3 py-3">
                    <span className="block font-medium text-slate-900">{flow.identity?.name ?? flow.login_hint}</span>
                    <span className="block text-xs text-slate-500">
                      {hintKindLabels[flow.hint_kind] ?? flow.hint_kind}
                      {flow.identity?.name ? ` · ${flow.login_hint}` : ""}
                    </span>
                  </td>
                  <td className="px-3 py-3"><ModeBadge mode={flow.mode} /></td>
                  <td className="px-3 py-3"><StatusBadge status={flow.status} /></td>
                  <td className="max-w-xs px-3 py-3 text-xs text-slate-600">
                    {flow.transaction && <span className="block">{formatMoney(flow.transaction)} to {flow.transaction.creditor}</span>}
                    {flow.error && (
                      <span className="block font-mono">
                        {flow.error.code}
                      </span>
                    )}
                    {flow.status === "verified" && flow.identity?.acr && <span className="block font-mono text-slate-500">{flow.identity.acr.replace("urn:ciba:acr:", "acr ")}</span>}
                    {flow.rejected_notifications > 0 && <span className="block font-medium text-rose-700">{flow.rejected_notifications} forged notification(s) refused</span>}
                  </td>
                  <td className="whitespace-nowrap px-3 py-3 tabular-nums text-slate-600">{formatDuration(flow.created_at, flow.ended_at)}</td>
                  <td className="px-5 py-3 text-right">
                    <Link href={`/flows/${flow.id}`} className="inline-flex items-center gap-1 whitespace-nowrap text-sm font-medium text-brand-700 hover:text-brand-900">
                      Inspector <ArrowRight aria-hidden className="size-3.5" />
                      <span className="sr-only"> for {flow.login_hint} at {formatDateTime(flow.created_at)}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
