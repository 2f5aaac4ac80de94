"use client";
// Every message of the flow, in order, as a sequence diagram across the three CIBA actors. Each row is a
// button that opens the step's details below it; the whole diagram is an ordered list for screen readers.
import { ChevronDown, Monitor, Server, Smartphone } from "lucide-react";
import { Fragment, useState } from "react";
import { type Actor, actors, type Exchange, type Tone } from "@/shared/flow-view";
import { actorLabels, formatTime } from "../format";
import { StepDetails } from "./step-details";

const column: Record<Actor, number> = { consumption_device: 1 / 6, provider: 3 / 6, authentication_device: 5 / 6 };
const pct = (x: number) => `${x * 100}%`;

const stroke: Record<Tone, string> = {
  neutral: "text-slate-500",
  info: "text-brand-500",
  success: "text-emerald-500",
  warning: "text-amber-500",
  danger: "text-rose-500",
};

const chip: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-700",
  info: "bg-brand-50 text-brand-700",
  success: "bg-emerald-50 text-emerald-800",
  warning: "bg-amber-50 text-amber-800",
  danger: "bg-rose-50 text-rose-800",
};

const actorIcons = { consumption_device: Monitor, provider: Server, authentication_device: Smartphone } as const;

function Line({ from, to, top, dashed, color }: { from: number; to: number; top: string; dashed?: boolean; color: string }) {
  const left = Math.min(from, to);
  const rightward = to > from;
  return (
    <span aria-hidden className={`absolute h-0 border-t-2 ${dashed ? "border-dashed" : ""} border-current ${color}`} style={{ left: pct(left), width: pct(Math.abs(to - from)), top }}>
      <span
        className={`absolute top-[-1px] size-0 -translate-y-1/2 border-y-[6px] border-y-transparent ${rightward ? "-right-px border-l-[9px] border-l-current" : "-left-px border-r-[9px] border-r-current"}`}
      />
    </span>
  );
}

/** A request and its response are two messages: a solid arrow there, a dashed one back. */
function Arrows({ exchange }: { exchange: Exchange }) {
  const from = column[exchange.from];
  const to = column[exchange.to];
  if (from === to) {
    // A step the actor takes on its own (e.g. validating an ID token): a loop beside its lifeline.
    return (
      <span aria-hidden className={`absolute top-[38%] h-7 w-[7%] rounded-r-md border-2 border-l-0 border-current ${stroke[exchange.tone]}`} style={{ left: pct(from) }}>
        <span className="absolute -bottom-[7px] left-0 size-0 border-y-[6px] border-r-[9px] border-y-transparent border-r-current" />
      </span>
    );
  }
  if (!exchange.http) return <Line from={from} to={to} top="46%" color={stroke[exchange.tone]} />;
  return (
    <>
      <Line from={from} to={to} top="36%" color="text-slate-500" />
      {exchange.http.response ? (
        <Line from={to} to={from} top="80%" dashed color={stroke[exchange.tone]} />
      ) : (
        <span aria-hidden className="absolute top-[80%] -translate-y-1/2 font-mono text-xs font-bold text-rose-500" style={{ left: pct(to), marginLeft: "-4px" }}>
          ✕
        </span>
      )}
    </>
  );
}

function Label({ exchange, index }: { exchange: Exchange; index: number }) {
  const from = column[exchange.from];
  const to = column[exchange.to];
  const self = from === to;
  const left = self ? from + 0.085 : Math.min(from, to);
  const width = self ? 1 - left - 0.02 : Math.abs(to - from);
  const twoWay = !self && exchange.http !== null;
  return (
    <>
      <span className={`absolute top-1.5 px-2 ${self ? "text-left" : "text-center"}`} style={{ left: pct(left), width: pct(width) }}>
        <span className="block truncate text-[13px] font-semibold text-slate-900">
          <span className="mr-1.5 font-mono text-[11px] font-medium text-slate-500">{index + 1}</span>
          {exchange.title}
        </span>
        {self && <span className={`mt-1 inline-block max-w-full truncate rounded px-1.5 py-px font-mono text-[11px] ${chip[exchange.tone]}`}>{exchange.summary}</span>}
      </span>
      {!self && (
        <span className="absolute flex justify-center px-2" style={{ left: pct(left), width: pct(width), top: twoWay ? "49%" : "56%" }}>
          <span className={`max-w-full truncate rounded px-1.5 py-px font-mono text-[11px] ${chip[exchange.tone]}`}>{exchange.summary}</span>
        </span>
      )}
    </>
  );
}

export function SequenceDiagram({ exchanges, subtitles }: { exchanges: Exchange[]; subtitles: Record<Actor, string> }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allOpen = exchanges.length > 0 && exchanges.every((e) => open.has(e.id));

  return (
    <section aria-labelledby="sequence-heading" className="card overflow-hidden">
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <h2 id="sequence-heading" className="text-sm font-semibold text-slate-900">
          Sequence of messages <span className="ml-1 font-normal text-slate-500">({exchanges.length})</span>
        </h2>
        <button type="button" className="btn-secondary py-1 text-xs" onClick={() => setOpen(allOpen ? new Set() : new Set(exchanges.map((e) => e.id)))}>
          {allOpen ? "Collapse all" : "Expand all"}
        </button>
      </div>

      <div className="sticky top-14 z-10 grid grid-cols-[3.5rem_minmax(0,1fr)] border-b border-slate-200 bg-white/95 backdrop-blur">
        <span />
        <div className="grid grid-cols-3">
          {actors.map((actor) => {
            const Icon = actorIcons[actor];
            return (
              <div key={actor} className="flex flex-col items-center px-2 py-3 text-center">
                <span className="flex items-center gap-1.5 rounded-lg bg-slate-900 px-2.5 py-1 text-xs font-semibold text-white">
                  <Icon aria-hidden className="size-3.5" />
                  {actorLabels[actor]}
                </span>
                <span className="mt-1 max-w-full truncate font-mono text-[11px] text-slate-500">{subtitles[actor]}</span>
              </div>
            );
          })}
        </div>
      </div>

      <ol aria-label="Protocol messages in order" className="relative">
        {exchanges.map((exchange, index) => {
          const expanded = open.has(exchange.id);
          const detailsId = `step-${exchange.id}`;
          return (
            <Fragment key={exchange.id}>
              <li className={`border-b border-slate-100 ${expanded ? "bg-slate-50/70" : ""}`}>
                <button
                  type="button"
                  aria-label={`Step ${index + 1}: ${exchange.title}, ${actorLabels[exchange.from]} to ${actorLabels[exchange.to]}: ${exchange.summary}`}
                  aria-expanded={expanded}
                  aria-controls={detailsId}
                  onClick={() => toggle(exchange.id)}
                  className="group grid w-full grid-cols-[3.5rem_minmax(0,1fr)] text-left hover:bg-slate-50 focus-visible:-outline-offset-2"
                >
                  <span className="flex h-[5.25rem] flex-col items-center justify-center gap-1 border-r border-slate-100">
                    <time dateTime={exchange.at} className="font-mono text-[10px] tabular-nums text-slate-500">
                      {formatTime(exchange.at)}
                    </time>
                    <ChevronDown aria-hidden className={`size-4 text-slate-500 transition-transform group-hover:text-slate-600 ${expanded ? "rotate-180" : ""}`} />
                  </span>
                  <span className="relative h-[5.25rem]">
                    {actors.map((actor) => (
                      <span key={actor} aria-hidden className="absolute inset-y-0 w-px border-l border-dashed border-slate-300" style={{ left: pct(column[actor]) }} />
                    ))}
                    <Arrows exchange={exchange} />
                    <Label exchange={exchange} index={index} />
                  </span>
                </button>
                {expanded && (
                  <div id={detailsId} role="region" aria-label={`Step ${index + 1}: ${exchange.title}`} className="border-t border-slate-200 bg-white px-5 py-5 sm:pl-[4.5rem]">
                    <StepDetails exchange={exchange} />
                  </div>
                )}
              </li>
            </Fragment>
          );
        })}
      </ol>
      {exchanges.length === 0 && <p className="px-5 py-8 text-center text-sm text-slate-500">No messages yet.</p>}
    </section>
  );
}
