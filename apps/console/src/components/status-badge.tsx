// The one place a flow's status gets its words, colour and icon.
import { Ban, CircleCheck, CircleX, Hourglass, LoaderCircle, OctagonX, ShieldAlert, TriangleAlert } from "lucide-react";
import type { FlowStatus } from "@/shared/flow-view";

export const statusMeta: Record<FlowStatus, { label: string; badge: string; icon: typeof CircleCheck }> = {
  starting: { label: "Starting", badge: "bg-slate-100 text-slate-700 ring-slate-200", icon: LoaderCircle },
  pending: { label: "Waiting for caller", badge: "bg-brand-50 text-brand-700 ring-brand-100", icon: LoaderCircle },
  verified: { label: "Verified", badge: "bg-emerald-50 text-emerald-700 ring-emerald-200", icon: CircleCheck },
  denied: { label: "Denied", badge: "bg-rose-50 text-rose-700 ring-rose-200", icon: CircleX },
  suspected_fraud: { label: "Suspected fraud", badge: "bg-rose-600 text-white ring-rose-600", icon: ShieldAlert },
  expired: { label: "Expired", badge: "bg-amber-50 text-amber-800 ring-amber-200", icon: Hourglass },
  cancelled: { label: "Cancelled", badge: "bg-slate-100 text-slate-700 ring-slate-200", icon: Ban },
  failed: { label: "Failed", badge: "bg-red-50 text-red-700 ring-red-200", icon: OctagonX },
};

export function StatusBadge({ status, className = "" }: { status: FlowStatus; className?: string }) {
  const meta = statusMeta[status];
  const Icon = meta.icon;
  const spinning = status === "pending" || status === "starting";
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${meta.badge} ${className}`}>
      <Icon aria-hidden className={`size-3.5 ${spinning ? "animate-spin [animation-duration:2s]" : ""}`} />
      {meta.label}
    </span>
  );
}

export function ModeBadge({ mode }: { mode: string }) {
  return (
    <span className="inline-flex items-center rounded-md bg-slate-100 px-2 py-0.5 font-mono text-[11px] font-semibold uppercase tracking-wide text-slate-600 ring-1 ring-inset ring-slate-200">
      {mode}
    </span>
  );
}

export { TriangleAlert };
