// The live status timeline: what the console did and heard (RP side) and what the provider reported on
// its event stream, in order. All polls fold into one line, where polling started, with live counts.
import { RefreshCw } from "lucide-react";
import type { ReactNode } from "react";
import type { FlowView, TimelineEntry, Tone } from "@/shared/flow-view";
import { formatTime } from "../format";

type Row = { type: "entry"; entry: TimelineEntry } | { type: "polls"; first: TimelineEntry; entries: TimelineEntry[] };

function rows(timeline: TimelineEntry[]): Row[] {
  const out: Row[] = [];
  let polls: Extract<Row, { type: "polls" }> | null = null;
  for (const entry of timeline) {
    if (entry.kind === "polling_started" || (entry.kind === "poll" && !polls)) {
      polls = { type: "polls", first: entry, entries: entry.kind === "poll" ? [entry] : [] };
      out.push(polls);
    } else if (entry.kind === "poll") {
      polls!.entries.push(entry);
    } else {
      out.push({ type: "entry", entry });
    }
  }
  return out;
}

const dot: Record<Tone, string> = {
  neutral: "bg-slate-300 ring-white",
  info: "bg-brand-500 ring-white",
  success: "bg-emerald-500 ring-white",
  warning: "bg-amber-500 ring-white",
  danger: "bg-rose-500 ring-white",
};

function Source({ source }: { source: TimelineEntry["source"] }) {
  return (
    <span
      className={`ml-1.5 inline-block translate-y-[-1px] rounded px-1 py-px align-middle text-[9px] font-semibold uppercase tracking-wide ${source === "provider" ? "bg-violet-50 text-violet-700" : "bg-sky-50 text-sky-700"}`}
      title={source === "provider" ? "Reported by the provider's event stream" : "Observed by the console (Relying Party)"}
    >
      {source === "provider" ? "Provider" : "Console"}
    </span>
  );
}

function Item({ at, tone, last, children }: { at: string; tone: string; last: boolean; children: ReactNode }) {
  return (
    <li className="relative grid grid-cols-[3.75rem_1.25rem_minmax(0,1fr)] pb-3.5">
      <time dateTime={at} className="pt-[3px] font-mono text-[11px] tabular-nums text-slate-500">
        {formatTime(at)}
      </time>
      <span className="relative flex justify-center">
        {!last && <span aria-hidden className="absolute top-3 h-[calc(100%+0.875rem)] w-px bg-slate-200" />}
        <span aria-hidden className={`relative mt-[5px] size-[9px] rounded-full ring-[3px] ${tone}`} />
      </span>
      <div className="min-w-0 pl-1.5">{children}</div>
    </li>
  );
}

function PollRow({ flow, row, last }: { flow: FlowView; row: Extract<Row, { type: "polls" }>; last: boolean }) {
  const { total, authorization_pending: pending, slow_down: slow } = flow.polls;
  const polling = flow.status === "pending" && flow.poll_in_flight;
  return (
    <Item at={row.first.at} tone={slow ? dot.warning : dot.neutral} last={last}>
      <p className="text-sm font-medium text-slate-900">
        <RefreshCw aria-hidden className={`mr-1.5 inline size-3.5 align-[-2px] text-slate-500 ${flow.status === "pending" ? "animate-spin [animation-duration:3s]" : ""}`} />
        Polling the token endpoint
        <Source source="console" />
      </p>
      <p className="mt-0.5 text-xs text-slate-500">
        {total === 0 ? (
          "No answer yet"
        ) : (
          <>
            {total} answered · <span className="font-mono">authorization_pending</span> × {pending}
            {" · "}
            <span className={`font-mono ${slow ? "font-semibold text-amber-700" : ""}`}>slow_down</span> × {slow}
          </>
        )}
      </p>
      {polling && (
        <p className="mt-1 text-xs text-brand-700">
          {flow.long_polling ? "Held open by the provider (long polling) until there is news…" : "Token request in flight…"}
        </p>
      )}
    </Item>
  );
}

export function Timeline({ flow }: { flow: FlowView }) {
  const list = rows(flow.timeline);
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="text-sm font-semibold text-slate-900">
        Live status
      </h2>
      <p className="mt-0.5 text-xs text-slate-500">What the console does and hears, and what the provider reports, as it happens.</p>
      <ol className="relative mt-4" aria-live="polite" aria-relevant="additions text">
        {list.map((row, index) => {
          const last = index === list.length - 1;
          if (row.type === "polls") return <PollRow key={row.first.id} flow={flow} row={row} last={last} />;
          const { entry } = row;
          return (
            <Item key={entry.id} at={entry.at} tone={dot[entry.tone]} last={last}>
              <p className={`text-sm font-medium ${entry.tone === "danger" ? "text-rose-800" : "text-slate-900"}`}>
                {entry.title}
                <Source source={entry.source} />
              </p>
              {entry.detail && <p className="mt-0.5 break-words text-xs text-slate-500">{entry.detail}</p>}
            </Item>
          );
        })}
      </ol>
    </section>
  );
}
