"use client";
import { useLive } from "./live/live-context";

export function ProviderStatusPill() {
  const { status, connected } = useLive();
  let dot = "bg-slate-300";
  let text = "Connecting…";
  let detail = "";
  if (!connected && status) {
    dot = "bg-amber-500";
    text = "Console reconnecting";
  } else if (status?.state === "up") {
    dot = "bg-emerald-500";
    text = "Provider connected";
    detail = status.issuer ?? "";
  } else if (status?.state === "down") {
    dot = "bg-rose-500";
    text = "Provider unreachable";
    detail = status.provider_url;
  }
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-xs font-medium text-slate-700">
      <span aria-hidden className={`size-2 rounded-full ${dot} ${status?.state === "up" && connected ? "shadow-[0_0_0_3px_rgba(16,185,129,0.18)]" : ""}`} />
      <span>{text}</span>
      {detail && <span className="hidden font-mono text-[11px] text-slate-500 md:inline">{detail.replace(/^https?:\/\//, "")}</span>}
    </div>
  );
}
