// One inspector step opened up: why it happens (with the spec section), the HTTP request and response as
// the console saw them (credentials masked), decoded JWTs with their signature status, the checks run.
import { CircleCheck, CircleX, ExternalLink, ShieldCheck, ShieldQuestion, ShieldX } from "lucide-react";
import type { DecodedJwt, Exchange, HttpExchange } from "@/shared/flow-view";
import { CodeBlock, pretty } from "./json-block";

function Headers({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers).filter(([name]) => !["connection", "keep-alive", "date", "transfer-encoding"].includes(name));
  if (!entries.length) return null;
  return (
    <dl className="mt-2 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1 font-mono text-[12px]">
      {entries.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="text-slate-500">{name}:</dt>
          <dd className="break-all text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function HttpPanes({ http }: { http: HttpExchange }) {
  const url = new URL(http.request.url);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="min-w-0">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Request</h4>
        <p className="mt-1.5 break-all font-mono text-[13px] font-semibold text-slate-900">
          {http.request.method} {url.pathname}
          {url.search}
          <span className="font-normal text-slate-500"> · {url.host}</span>
        </p>
        <Headers headers={http.request.headers} />
        {http.request.body && <CodeBlock label="Request body" className="mt-2">{http.request.body}</CodeBlock>}
      </div>
      <div className="min-w-0">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">
          Response{http.duration_ms !== null && <span className="ml-2 font-normal normal-case tracking-normal text-slate-500">{Math.round(http.duration_ms)} ms</span>}
        </h4>
        {http.response ? (
          <>
            <p className={`mt-1.5 font-mono text-[13px] font-semibold ${http.response.status >= 400 ? "text-rose-700" : "text-emerald-700"}`}>HTTP {http.response.status}</p>
            <Headers headers={http.response.headers} />
            {http.response.body && <CodeBlock label="Response body" className="mt-2">{http.response.body}</CodeBlock>}
          </>
        ) : (
          <p className="mt-1.5 font-mono text-[13px] text-rose-700">No response: {http.error}</p>
        )}
      </div>
    </div>
  );
}

const timeClaims = ["iat", "exp", "nbf", "auth_time"];

function Jwt({ jwt }: { jwt: DecodedJwt }) {
  const { status, detail } = jwt.signature;
  const Icon = status === "verified" ? ShieldCheck : status === "invalid" ? ShieldX : ShieldQuestion;
  const tone = status === "verified" ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : status === "invalid" ? "bg-rose-50 text-rose-800 ring-rose-200" : "bg-slate-100 text-slate-700 ring-slate-200";
  const times = timeClaims.filter((c) => typeof jwt.claims[c] === "number");
  return (
    <div className="rounded-lg border border-slate-200 p-3.5">
      <div className="flex flex-wrap items-center gap-2">
        <h4 className="text-sm font-semibold text-slate-900">{jwt.label}</h4>
        <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone}`}>
          <Icon aria-hidden className="size-3.5" />
          Signature {status}
        </span>
        <span className="text-xs text-slate-500">{detail}</span>
      </div>
      <div className="mt-3 grid gap-3 lg:grid-cols-[minmax(0,0.7fr)_minmax(0,1.3fr)]">
        <div className="min-w-0">
          <p className="text-xs font-medium text-slate-500">Header</p>
          <CodeBlock label={`${jwt.label} header`} className="mt-1">{pretty(jwt.header)}</CodeBlock>
        </div>
        <div className="min-w-0">
          <p className="text-xs font-medium text-slate-500">Claims</p>
          <CodeBlock label={`${jwt.label} claims`} className="mt-1">{pretty(jwt.claims)}</CodeBlock>
          {times.length > 0 && (
            <p className="mt-1.5 text-xs text-slate-500">
              {times.map((c) => `${c} = ${new Date((jwt.claims[c] as number) * 1000).toLocaleString("en-GB")}`).join(" · ")}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

export function StepDetails({ exchange }: { exchange: Exchange }) {
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        {exchange.explanation}
        {exchange.spec && (
          <>
            {" "}
            <a href={exchange.spec.href} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 font-medium text-brand-700 underline decoration-brand-200 underline-offset-2 hover:decoration-brand-600">
              {exchange.spec.label}
              <ExternalLink aria-hidden className="size-3" />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
          </>
        )}
      </p>
      {exchange.http && <HttpPanes http={exchange.http} />}
      {exchange.checks.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Checks</h4>
          <ul className="mt-2 grid gap-1.5 sm:grid-cols-2">
            {exchange.checks.map((check) => (
              <li key={check.label} className="flex items-start gap-2 text-sm">
                {check.ok ? <CircleCheck aria-label="passed" className="mt-0.5 size-4 shrink-0 text-emerald-600" /> : <CircleX aria-label="failed" className="mt-0.5 size-4 shrink-0 text-rose-600" />}
                <span>
                  <span className="font-medium text-slate-900">{check.label}</span>
                  <span className="text-slate-500">: {check.detail}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {exchange.jwts.map((jwt) => (
        <Jwt key={jwt.label} jwt={jwt} />
      ))}
      {exchange.data && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Provider event</h4>
          <CodeBlock label="Event data" className="mt-2">{pretty(exchange.data)}</CodeBlock>
        </div>
      )}
    </div>
  );
}
