// The final state, in words an operator acts on: who was verified, or why not and what to do next.
import { Ban, CircleCheck, CircleX, Hourglass, OctagonX, ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import type { FlowView } from "@/shared/flow-view";

function Panel({ tone, icon, title, children }: { tone: string; icon: ReactNode; title: string; children?: ReactNode }) {
  return (
    <section aria-labelledby="outcome-heading" className={`rounded-xl border px-5 py-4 ${tone}`}>
      <h3 id="outcome-heading" className="flex items-center gap-2 text-base font-semibold">
        {icon}
        {title}
      </h3>
      {children && <div className="mt-2 text-sm">{children}</div>}
    </section>
  );
}

function Detail({ term, value, mono = false }: { term: string; value: string | null; mono?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-emerald-800/70">{term}</dt>
      <dd className={`mt-0.5 text-sm text-slate-900 ${mono ? "break-all font-mono text-[13px]" : "truncate font-medium"}`} title={value ?? undefined}>
        {value ?? <span className="text-slate-500">not released</span>}
      </dd>
    </div>
  );
}

function ProviderSaid({ flow }: { flow: FlowView }) {
  if (!flow.error) return null;
  return (
    <p className="mt-2 rounded-md bg-white/70 px-2.5 py-1.5 font-mono text-xs text-slate-700 ring-1 ring-inset ring-black/5">
      <span className="font-semibold">{flow.error.code}</span>
      {flow.error.status ? ` (HTTP ${flow.error.status})` : ""}
      {flow.error.description ? `: ${flow.error.description}` : ""}
    </p>
  );
}

export function Outcome({ flow }: { flow: FlowView }) {
  switch (flow.status) {
    case "verified": {
      const id = flow.identity!;
      return (
        <Panel tone="border-emerald-200 bg-emerald-50 text-emerald-900" icon={<CircleCheck aria-hidden className="size-5 text-emerald-600" />} title={`Verified: ${id.name ?? "caller"}`}>
          <p className="text-emerald-900/80">The caller approved on their own device. The ID token was validated and the details below come from the provider.</p>
          <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg bg-white/70 p-4 ring-1 ring-inset ring-emerald-200 sm:grid-cols-2">
            <Detail term="Name" value={id.name} />
            <Detail term="E-mail" value={id.email} />
            <Detail term="Phone" value={id.phone_number} />
            <Detail term="Authenticated at" value={id.auth_time ? new Date(id.auth_time * 1000).toLocaleString("en-GB") : null} />
            <Detail term="Subject (sub)" value={id.sub} mono />
            <Detail term="Authentication level (acr)" value={id.acr} mono />
          </dl>
          {flow.status_detail && <p className="mt-2 text-xs text-amber-800">{flow.status_detail}</p>}
        </Panel>
      );
    }
    case "suspected_fraud":
      return (
        <Panel tone="border-rose-300 bg-rose-600 text-white" icon={<ShieldAlert aria-hidden className="size-5" />} title="Suspected fraud: the customer is not on a call">
          <p className="text-rose-50">
            The customer told their banking app that they are not speaking to anyone. The person on the line is not them.
            Do not disclose anything or make changes; follow the fraud procedure.
          </p>
          <ProviderSaid flow={flow} />
        </Panel>
      );
    case "denied":
      return (
        <Panel tone="border-rose-200 bg-rose-50 text-rose-900" icon={<CircleX aria-hidden className="size-5 text-rose-600" />} title="Denied by the caller">
          <p>The caller declined the request on their device. They are not verified.</p>
          <ProviderSaid flow={flow} />
        </Panel>
      );
    case "expired":
      return (
        <Panel tone="border-amber-200 bg-amber-50 text-amber-900" icon={<Hourglass aria-hidden className="size-5 text-amber-600" />} title="Expired without an answer">
          <p>The caller did not answer before the request expired. Start a new verification while they are on the line.</p>
          <ProviderSaid flow={flow} />
        </Panel>
      );
    case "cancelled":
      return (
        <Panel tone="border-slate-200 bg-slate-50 text-slate-800" icon={<Ban aria-hidden className="size-5 text-slate-500" />} title="Cancelled">
          <p>{flow.status_detail ? `${flow.status_detail[0]?.toUpperCase()}${flow.status_detail.slice(1)}.` : "The operator cancelled the request."}</p>
        </Panel>
      );
    case "failed":
      return (
        <Panel tone="border-red-200 bg-red-50 text-red-900" icon={<OctagonX aria-hidden className="size-5 text-red-600" />} title={flow.error?.title ?? "The verification failed"}>
          {flow.error?.advice && <p>{flow.error.advice}</p>}
          <ProviderSaid flow={flow} />
        </Panel>
      );
    default:
      return null;
  }
}
