"use client";
// The protocol inspector for one flow: what the operator saw, as the messages that made it happen.
// Live while the flow runs; exportable as JSON for a training pack or a bug report.
import { ArrowLeft, Download } from "lucide-react";
import Link from "next/link";
import type { Actor, FlowView } from "@/shared/flow-view";
import { formatDateTime, hintKindLabels } from "../format";
import { useFlow } from "../live/use-flow";
import { useLive } from "../live/live-context";
import { ModeBadge, StatusBadge } from "../status-badge";
import { SequenceDiagram } from "./sequence-diagram";

function Meta({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{term}</dt>
      <dd className="mt-0.5 truncate text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function Header({ flow }: { flow: FlowView }) {
  return (
    <div className="card p-5">
      <div className="flex flex-wrap items-start gap-4">
        <div className="min-w-0">
          <Link href={`/?flow=${flow.id}`} className="inline-flex items-center gap-1 text-xs font-medium text-slate-500 hover:text-slate-800">
            <ArrowLeft aria-hidden className="size-3.5" /> Back to the verification
          </Link>
          <h1 className="mt-1 flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
            Protocol inspector
            <ModeBadge mode={flow.mode} />
            <StatusBadge status={flow.status} />
          </h1>
        </div>
        <a href={`/api/flows/${flow.id}/export`} download className="btn-secondary ml-auto">
          <Download aria-hidden className="size-4" />
          Export JSON
        </a>
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 border-t border-slate-100 pt-4 md:grid-cols-3 xl:grid-cols-6">
        <Meta term="Caller">{flow.identity?.name ?? flow.login_hint}</Meta>
        <Meta term="Identified by">{hintKindLabels[flow.hint_kind] ?? flow.hint_kind}</Meta>
        <Meta term="Binding message">
          <span className="font-mono font-semibold">{flow.binding_message}</span>
        </Meta>
        <Meta term="Started">{formatDateTime(flow.created_at)}</Meta>
        <Meta term="Scope">
          <span className="font-mono text-[13px]">{flow.scope}</span>
        </Meta>
        <Meta term="auth_req_id">
          <span className="font-mono text-[13px]" title={flow.auth_req_id ?? undefined}>
            {flow.auth_req_id ? `${flow.auth_req_id.slice(0, 12)}…` : "—"}
          </span>
        </Meta>
      </dl>
    </div>
  );
}

export function InspectorScreen({ id }: { id: string }) {
  const [state] = useFlow(id);
  const { status } = useLive();
  if (state.state === "loading" || state.state === "idle") return <div className="card h-96 animate-pulse" aria-busy="true" aria-label="Loading the flow" />;
  if (state.state === "missing") {
    return (
      <div className="card p-8">
        <h1 className="text-lg font-semibold text-slate-900">Flow not found</h1>
        <p className="mt-1 text-sm text-slate-600">This console has no flow with that id for you. It may belong to another operator.</p>
        <Link href="/history" className="btn-secondary mt-4">
          Open the history
        </Link>
      </div>
    );
  }
  const { flow } = state;
  const subtitles: Record<Actor, string> = {
    consumption_device: `this console · ${flow.client_id}`,
    provider: (status?.issuer ?? status?.provider_url ?? "").replace(/^https?:\/\//, ""),
    authentication_device: `the caller's banking app`,
  };
  return (
    <div className="space-y-6">
      <Header flow={flow} />
      <SequenceDiagram exchanges={flow.exchanges} subtitles={subtitles} />
    </div>
  );
}
