// The benchmark's tables: figures per implementation, then ours against the reference and the ceiling.
import type { Percentiles } from "./measure/latency";
import type { Throughput } from "./measure/throughput";

export interface TargetResult {
  name: string;
  role: "ours" | "reference" | "ceiling";
  backchannel: Throughput;
  pendingPoll: Throughput;
  ping: Percentiles;
  token: Percentiles;
  longPoll: Percentiles | null;
  residentMiB: number;
}

const rate = (t: Throughput) => `${Math.round(t.perSecond).toLocaleString("en-US")}`;
const ms = (p: Percentiles | null) => (p ? `${p.p50.toFixed(1)} / ${p.p99.toFixed(1)}` : "—");
const ratio = (value: number) => `${value.toFixed(2)}×`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function resultsTable(results: TargetResult[], pending: number): string {
  return table(
    ["implementation", "BA req/s", "pending-poll req/s", "approve→ping ms p50/p99", "approve→token ms p50/p99", "approve→long-poll ms p50/p99", `RSS MiB, ${pending.toLocaleString("en-US")} pending`],
    results.map((r) => [r.name, rate(r.backchannel), rate(r.pendingPoll), ms(r.ping), ms(r.token), ms(r.longPoll), r.residentMiB.toFixed(0)]),
  );
}

export function ratiosTable(results: TargetResult[]): string {
  const rows: string[][] = [];
  for (const ours of results.filter((r) => r.role === "ours")) {
    for (const other of results.filter((r) => r.role !== "ours")) {
      rows.push([
        `${ours.name} / ${other.role}`,
        ratio(ours.backchannel.perSecond / other.backchannel.perSecond),
        ratio(ours.pendingPoll.perSecond / other.pendingPoll.perSecond),
        ratio(ours.ping.p99 / other.ping.p99),
        ratio(ours.token.p99 / other.token.p99),
        ratio(ours.residentMiB / other.residentMiB),
      ]);
    }
  }
  return table(["ratio (throughput: higher is better; latency, memory: lower)", "BA req/s", "poll req/s", "ping p99", "token p99", "RSS"], rows);
}

/** The issue's targets, met or missed by how much. */
export function targetLines(results: TargetResult[]): string[] {
  const reference = results.find((r) => r.role === "reference");
  const lines: string[] = [];
  const verdict = (ok: boolean, miss: string) => (ok ? "met" : `MISSED (${miss})`);
  for (const ours of results.filter((r) => r.role === "ours")) {
    if (reference) {
      const ba = ours.backchannel.perSecond / reference.backchannel.perSecond;
      const poll = ours.pendingPoll.perSecond / reference.pendingPoll.perSecond;
      lines.push(`${ours.name}: BA ≥ 2× reference: ${ratio(ba)} ${verdict(ba >= 2, `${Math.round(2 * reference.backchannel.perSecond - ours.backchannel.perSecond)} req/s short`)}`);
      lines.push(`${ours.name}: pending poll ≥ 2× reference: ${ratio(poll)} ${verdict(poll >= 2, `${Math.round(2 * reference.pendingPoll.perSecond - ours.pendingPoll.perSecond)} req/s short`)}`);
    }
    lines.push(`${ours.name}: approve→ping p99 < 10 ms: ${ours.ping.p99.toFixed(1)} ms ${verdict(ours.ping.p99 < 10, `${(ours.ping.p99 - 10).toFixed(1)} ms over`)}`);
    lines.push(`${ours.name}: ≤ 300 MB resident with the pending requests: ${(ours.residentMiB * 1.048576).toFixed(0)} MB ${verdict(ours.residentMiB * 1.048576 <= 300, "over")}`);
  }
  for (const r of results) {
    for (const [what, t] of [["BA", r.backchannel], ["pending poll", r.pendingPoll]] as const) {
      if (t.unexpected) lines.push(`WARNING ${r.name}: ${t.unexpected} unexpected ${what} answers, e.g. ${t.sample}`);
    }
  }
  return lines;
}
