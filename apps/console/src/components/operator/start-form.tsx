"use client";
// The operator's form: who is calling, how the console should hear back, what to ask for, and an
// optional payment to confirm. The identifier is recognised as it is typed, with the same rules the
// provider applies.
import { acrValuesSupported, classifyLoginHint, type DeliveryMode, deliveryModes } from "@ciba/protocol";
import { Fingerprint, Hash, LoaderCircle, Mail, Phone, Send } from "lucide-react";
import { type FormEvent, useId, useState } from "react";
import type { FlowView } from "@/shared/flow-view";
import { currencies, expiryChoices, expiryLabel, type OptionalScope, startFlowSchema, type StartFlowInput } from "@/shared/start-flow";
import { hintKindLabels, modeDescriptions, modeLabels } from "../format";
import { useLive } from "../live/live-context";

const scopeOptions: Array<{ scope: OptionalScope; label: string; hint: string }> = [
  { scope: "profile", label: "Name", hint: "profile" },
  { scope: "email", label: "E-mail", hint: "email" },
  { scope: "phone", label: "Phone", hint: "phone" },
  { scope: "offline_access", label: "Offline access", hint: "offline_access" },
];

const acrLabels: Record<string, string> = {
  "urn:ciba:acr:possession": "Possession (device)",
  "urn:ciba:acr:possession+knowledge": "Possession + knowledge (device and PIN)",
};

const hintIcons = { email: Mail, phone_number: Phone, customer_number: Hash, sub: Fingerprint } as const;

type Errors = Partial<Record<"login_hint" | "amount" | "creditor" | "reference" | "form", string>>;

export function StartForm({ onStarted }: { onStarted: (flow: FlowView) => void }) {
  const { status } = useLive();
  const ids = { hint: useId(), hintStatus: useId(), mode: useId(), amount: useId(), creditor: useId(), reference: useId(), currency: useId(), acr: useId(), expiry: useId() };
  const [loginHint, setLoginHint] = useState("");
  const [mode, setMode] = useState<DeliveryMode>("poll");
  const [scopes, setScopes] = useState<OptionalScope[]>(["profile", "email", "phone"]);
  const [acr, setAcr] = useState<string>("");
  const [expiry, setExpiry] = useState<string>("300");
  const [withTransaction, setWithTransaction] = useState(false);
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState<(typeof currencies)[number]>("GBP");
  const [creditor, setCreditor] = useState("");
  const [reference, setReference] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);

  const hint = loginHint.trim() ? classifyLoginHint(loginHint) : null;
  const HintIcon = hint ? hintIcons[hint.kind] : null;
  const providerDown = status?.state === "down";

  const toggleScope = (scope: OptionalScope) =>
    setScopes((current) => (current.includes(scope) ? current.filter((s) => s !== scope) : [...current, scope]));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input: StartFlowInput = {
      login_hint: loginHint,
      delivery_mode: mode,
      scopes,
      acr_value: (acr || null) as StartFlowInput["acr_value"],
      requested_expiry: Number(expiry),
      transaction: withTransaction ? { amount, currency, creditor, reference } : null,
    };
    const parsed = startFlowSchema.safeParse(input);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.at(-1);
        if (key === "login_hint" || key === "amount" || key === "creditor" || key === "reference") next[key] ??= issue.message;
        else next.form ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      const response = await fetch("/api/flows", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(parsed.data) });
      if (!response.ok) {
        const error = (await response.json().catch(() => ({}))) as { error?: string; error_description?: string };
        setErrors({ form: `${error.error ?? `HTTP ${response.status}`}: ${error.error_description ?? "the console refused the request"}` });
        return;
      }
      onStarted((await response.json()) as FlowView);
    } catch {
      setErrors({ form: "The console server did not answer. Check that it is running and try again." });
    } finally {
      setSubmitting(false);
    }
  }

  const describedBy = (id: string, error?: string) => (error ? `${id}-error` : undefined);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="start-heading" className="card p-5 sm:p-6">
      <div className="mb-5">
        <h2 id="start-heading" className="text-base font-semibold text-slate-900">
          New verification
        </h2>
        <p className="mt-1 text-sm text-slate-500">Ask the caller to confirm on their banking app that it is really them.</p>
      </div>

      <div className="space-y-5">
        <div>
          <label htmlFor={ids.hint} className="field-label">
            Caller&apos;s identifier
          </label>
          <input
            id={ids.hint}
            name="login_hint"
            className="input mt-1.5 text-[15px]"
            placeholder="E-mail, phone number or customer number"
            autoComplete="off"
            spellCheck={false}
            value={loginHint}
            onChange={(e) => setLoginHint(e.target.value)}
            aria-invalid={errors.login_hint ? true : undefined}
            aria-describedby={[ids.hintStatus, describedBy(ids.hint, errors.login_hint)].filter(Boolean).join(" ")}
          />
          <p id={ids.hintStatus} aria-live="polite" className="mt-1.5 flex min-h-5 items-center gap-1.5 text-xs">
            {hint && HintIcon ? (
              <>
                <span className={`inline-flex shrink-0 items-center gap-1 whitespace-nowrap rounded-md px-1.5 py-0.5 font-medium ring-1 ring-inset ${hint.kind === "sub" ? "bg-amber-50 text-amber-800 ring-amber-200" : "bg-emerald-50 text-emerald-800 ring-emerald-200"}`}>
                  <HintIcon aria-hidden className="size-3" />
                  Recognised as {hintKindLabels[hint.kind]?.toLowerCase()}
                </span>
                <span className="truncate font-mono text-slate-500">{hint.value}</span>
              </>
            ) : (
              <span className="text-slate-500">e.g. alice@example.com, +44 7700 900123 or 40012345</span>
            )}
          </p>
          {errors.login_hint && (
            <p id={`${ids.hint}-error`} className="mt-1 text-xs font-medium text-rose-700">
              {errors.login_hint}
            </p>
          )}
        </div>

        <fieldset>
          <legend className="field-label">Delivery mode</legend>
          <div className="mt-1.5 grid grid-cols-3 gap-1 rounded-lg bg-slate-100 p-1">
            {deliveryModes.map((m) => (
              <label
                key={m}
                className={`cursor-pointer rounded-md px-3 py-1.5 text-center text-sm font-medium transition has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600 ${mode === m ? "bg-white text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`}
              >
                <input type="radio" name="delivery_mode" value={m} checked={mode === m} onChange={() => setMode(m)} className="sr-only" />
                {modeLabels[m]}
              </label>
            ))}
          </div>
          <p className="mt-1.5 text-xs text-slate-500">{modeDescriptions[mode]}</p>
        </fieldset>

        <fieldset>
          <legend className="field-label">Information to request</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            <label className="inline-flex items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-2.5 py-1.5 text-sm text-slate-500">
              <input type="checkbox" checked disabled className="size-4 rounded accent-brand-600" />
              Identity <span className="font-mono text-[11px]">openid</span>
            </label>
            {scopeOptions.map((option) => (
              <label key={option.scope} className="inline-flex cursor-pointer items-center gap-2 rounded-md border border-slate-200 px-2.5 py-1.5 text-sm text-slate-800 hover:bg-slate-50">
                <input type="checkbox" checked={scopes.includes(option.scope)} onChange={() => toggleScope(option.scope)} className="size-4 rounded accent-brand-600" />
                {option.label} <span className="font-mono text-[11px] text-slate-500">{option.hint}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor={ids.acr} className="field-label">
              Authentication level
            </label>
            <select id={ids.acr} className="input mt-1.5" value={acr} onChange={(e) => setAcr(e.target.value)}>
              <option value="">Provider default</option>
              {acrValuesSupported.map((value) => (
                <option key={value} value={value}>
                  {acrLabels[value] ?? value}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={ids.expiry} className="field-label">
              Request expires after
            </label>
            <select id={ids.expiry} className="input mt-1.5" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {expiryChoices.map((seconds) => (
                <option key={seconds} value={seconds}>
                  {expiryLabel(seconds)}
                </option>
              ))}
            </select>
          </div>
        </div>

        <div className="rounded-lg border border-slate-200">
          <label className="flex cursor-pointer items-center justify-between gap-3 px-3.5 py-3">
            <span>
              <span className="block text-sm font-medium text-slate-800">Confirm a payment</span>
              <span className="block text-xs text-slate-500">Sent as authorization_details (payment_initiation) and shown on the caller&apos;s device.</span>
            </span>
            <input type="checkbox" role="switch" aria-checked={withTransaction} checked={withTransaction} onChange={(e) => setWithTransaction(e.target.checked)} className="peer sr-only" />
            <span aria-hidden className="relative h-5 w-9 shrink-0 rounded-full bg-slate-300 transition peer-checked:bg-brand-600 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600 after:absolute after:left-0.5 after:top-0.5 after:size-4 after:rounded-full after:bg-white after:shadow after:transition peer-checked:after:translate-x-4" />
          </label>
          {withTransaction && (
            <div className="grid grid-cols-1 gap-4 border-t border-slate-200 px-3.5 py-4 sm:grid-cols-[1fr_7rem]">
              <div>
                <label htmlFor={ids.amount} className="field-label">
                  Amount
                </label>
                <input id={ids.amount} inputMode="decimal" className="input mt-1.5 font-mono" placeholder="125.00" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={errors.amount ? true : undefined} aria-describedby={describedBy(ids.amount, errors.amount)} />
                {errors.amount && <p id={`${ids.amount}-error`} className="mt-1 text-xs font-medium text-rose-700">{errors.amount}</p>}
              </div>
              <div>
                <label htmlFor={ids.currency} className="field-label">
                  Currency
                </label>
                <select id={ids.currency} className="input mt-1.5" value={currency} onChange={(e) => setCurrency(e.target.value as (typeof currencies)[number])}>
                  {currencies.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </div>
              <div className="sm:col-span-2">
                <label htmlFor={ids.creditor} className="field-label">
                  Creditor
                </label>
                <input id={ids.creditor} className="input mt-1.5" placeholder="Who is being paid" value={creditor} onChange={(e) => setCreditor(e.target.value)} aria-invalid={errors.creditor ? true : undefined} aria-describedby={describedBy(ids.creditor, errors.creditor)} />
                {errors.creditor && <p id={`${ids.creditor}-error`} className="mt-1 text-xs font-medium text-rose-700">{errors.creditor}</p>}
              </div>
              <div className="sm:col-span-2">
                <label htmlFor={ids.reference} className="field-label">
                  Reference <span className="font-normal text-slate-500">(optional)</span>
                </label>
                <input id={ids.reference} className="input mt-1.5" placeholder="e.g. invoice number" value={reference} onChange={(e) => setReference(e.target.value)} aria-invalid={errors.reference ? true : undefined} />
              </div>
            </div>
          )}
        </div>

        {errors.form && (
          <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
            {errors.form}
          </p>
        )}

        <div>
          <button type="submit" className="btn-primary w-full py-2.5" disabled={submitting || providerDown}>
            {submitting ? <LoaderCircle aria-hidden className="size-4 animate-spin" /> : <Send aria-hidden className="size-4" />}
            {submitting ? "Starting…" : "Start verification"}
          </button>
          {providerDown && <p className="mt-2 text-center text-xs text-rose-700">The provider is unreachable: starting is paused until it is back.</p>}
        </div>
      </div>
    </form>
  );
}
