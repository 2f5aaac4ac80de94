"use client";
// The current verification: the code to read out and the countdown while it is pending, the outcome
// once it has ended, the live timeline throughout, and the way into the protocol inspector.
import { ArrowRight, Ban, LoaderCircle, Receipt, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import type { FlowView } from "@/shared/flow-view";
import { isFinal } from "@/shared/flow-view";
import { formatMoney, hintKindLabels, modeDescriptions, modeLabels } from "../format";
import { ModeBadge, StatusBadge } from "../status-badge";
import { BindingCode } from "./binding-code";
import { Countdown } from "./countdown";
import { Outcome } from "./outcome";
import { Timeline } from "./timeline";

function RequestDetails({ flow }: { flow: FlowView }) {
  const rows: Array<[string, React.ReactNode]> = [
    ["Delivery mode", <span key="m">{modeLabels[flow.mode]}: {modeDescriptions[flow.mode].replace(/^The /, "the ").replace(/\.$/, "")}</span>],
    ["Client", <span key="c" className="font-mono text-[13px]">{flow.client_id}</span>],
    ["Scope", <span key="s" className="font-mono text-[13px]">{flow.scope}</span>],
    ["Authentication level", <span key="a" className="font-mono text-[13px]">{flow.acr_values ?? "provider default"}</span>],
    ["auth_req_id", <span key="r" className="break-all font-mono text-[13px]">{flow.auth_req_id ?? "not issued"}</span>],
  ];
  return (
    <details className="group rounded-lg border border-slate-200 open:bg-slate-50/50" open>
      <summary className="cursor-pointer select-none px-4 py-2.5 text-sm font-medium text-slate-700 marker:text-slate-500">Request details</summary>
      <dl className="grid grid-cols-[9.5rem_minmax(0,1fr)] gap-x-4 gap-y-2 border-t border-slate-200 px-4 py-3 text-sm">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd className="min-w-0 text-slate-800">{value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export function FlowPanel({ flow, onReplace, onNew }: { flow: FlowView; onReplace: (flow: FlowView) => void; onNew: () => void }) {
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const ended = isFinal(flow.status);

  async function cancel() {
    setCancelling(true);
    setCancelError(null);
    try {
      const response = await fetch(`/api/flows/${flow.id}/cancel`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      if (response.ok) onReplace((await response.json()) as FlowView);
      else setCancelError("The console could not cancel the request.");
    } catch {
      setCancelError("The console server did not answer.");
    } finally {
      setCancelling(false);
    }
  }

  return (
    <>
    <section aria-labelledby="flow-heading" className="card overflow-hidden">
      <header className="flex items-start gap-3 border-b border-slate-200 px-5 py-4 sm:px-6">
        <div className="min-w-0 flex-1">
          <h2 id="flow-heading" className="truncate text-base font-semibold text-slate-900">
            {flow.identity?.name ?? flow.login_hint}
          </h2>
          <p className="mt-0.5 truncate text-xs text-slate-500">
            {hintKindLabels[flow.hint_kind] ?? flow.hint_kind}
            {flow.identity?.name ? ` · ${flow.login_hint}` : ""}
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <ModeBadge mode={flow.mode} />
          <StatusBadge status={flow.status} />
        </div>
      </header>

      <div className="p-5 sm:p-6">
        <div className="space-y-5">
          {!ended && <BindingCode code={flow.binding_message} />}
          {flow.transaction && (
            <div className="flex items-start gap-3 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3">
              <Receipt aria-hidden className="mt-0.5 size-4 shrink-0 text-slate-500" />
              <div className="text-sm">
                <p className="font-medium text-slate-900">
                  Payment of {formatMoney(flow.transaction)} to {flow.transaction.creditor}
                </p>
                {flow.transaction.reference && <p className="text-xs text-slate-500">Reference {flow.transaction.reference}</p>}
              </div>
            </div>
          )}
          {!ended && flow.expires_at && <Countdown expiresAt={flow.expires_at} startedAt={flow.created_at} />}
          {!ended && flow.status === "starting" && (
            <p className="flex items-center gap-2 text-sm text-slate-600">
              <LoaderCircle aria-hidden className="size-4 animate-spin" /> Sending the request to the provider…
            </p>
          )}
          {ended && <Outcome flow={flow} />}
          {ended && flow.status !== "verified" && flow.auth_req_id && (
            <p className="text-xs text-slate-500">
              Code read to the caller: <span className="font-mono font-semibold text-slate-700">{flow.binding_message}</span>
            </p>
          )}
          {flow.rejected_notifications > 0 && (
            <p role="note" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-xs text-rose-800">
              {flow.rejected_notifications} forged or malformed notification{flow.rejected_notifications === 1 ? " was" : "s were"} refused for this request.
              See the protocol inspector.
            </p>
          )}

          <div className="flex flex-wrap items-center gap-2 pt-1">
            {!ended && flow.cancellable && (
              <button type="button" onClick={() => void cancel()} disabled={cancelling} className="btn-danger">
                {cancelling ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <Ban aria-hidden className="size-4" />}
                Cancel request
              </button>
            )}
            {ended && (
              <button type="button" onClick={onNew} className="btn-primary">
                <RotateCcw aria-hidden className="size-4" />
                New verification
              </button>
            )}
            <Link href={`/flows/${flow.id}`} className="btn-secondary">
              Open protocol inspector
              <ArrowRight aria-hidden className="size-4" />
            </Link>
          </div>
          {cancelError && (
            <p role="alert" className="text-sm text-rose-700">
              {cancelError}
            </p>
          )}
          <RequestDetails flow={flow} />
        </div>
      </div>
    </section>
    <aside aria-label="Live status" className="card p-5 lg:col-start-2 xl:col-start-auto">
      <Timeline flow={flow} />
    </aside>
    </>
  );
}
