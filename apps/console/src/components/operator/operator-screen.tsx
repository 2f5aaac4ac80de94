"use client";
// The operator's screen: the form on the left, the current verification on the right. The flow being
// shown is in the URL (?flow=…), so a reload or a shared link shows the same one.
import { BellRing, KeyRound, Smartphone } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import type { FlowView } from "@/shared/flow-view";
import { useFlow } from "../live/use-flow";
import { FlowPanel } from "./flow-panel";
import { StartForm } from "./start-form";

function EmptyState() {
  const steps = [
    { icon: KeyRound, title: "Identify the caller", text: "Type the e-mail, phone number or customer number they give you." },
    { icon: BellRing, title: "Read them the code", text: "Their banking app shows a request with the same short code." },
    { icon: Smartphone, title: "They approve on their phone", text: "You see the result here as it happens: verified, declined or suspected fraud." },
  ];
  return (
    <section aria-labelledby="empty-heading" className="card flex min-h-[420px] flex-col justify-center px-8 py-10 xl:col-span-2">
      <h2 id="empty-heading" className="text-base font-semibold text-slate-900">
        No verification in progress
      </h2>
      <p className="mt-1 max-w-md text-sm text-slate-500">Start one from the form. The caller confirms on their own device; nothing secret is said on the phone.</p>
      <ol className="mt-8 grid gap-4 sm:grid-cols-3">
        {steps.map((step, index) => (
          <li key={step.title} className="rounded-lg border border-slate-200 bg-slate-50/60 p-4">
            <span className="flex items-center gap-2">
              <span className="grid size-7 place-items-center rounded-md bg-white text-brand-600 ring-1 ring-slate-200">
                <step.icon aria-hidden className="size-4" />
              </span>
              <span className="text-xs font-semibold text-slate-500">Step {index + 1}</span>
            </span>
            <p className="mt-3 text-sm font-medium text-slate-900">{step.title}</p>
            <p className="mt-1 text-xs text-slate-500">{step.text}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function OperatorScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const flowId = params.get("flow");
  const [state, replace] = useFlow(flowId);

  const show = useCallback(
    (flow: FlowView | null) => {
      if (flow) replace(flow);
      router.replace(flow ? `${pathname}?flow=${flow.id}` : pathname, { scroll: false });
    },
    [pathname, replace, router],
  );

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[380px_minmax(0,1fr)] 2xl:grid-cols-[400px_minmax(0,1fr)_400px] xl:grid-cols-[380px_minmax(0,1fr)_360px]">
      <StartForm onStarted={(flow) => show(flow)} />
      {state.state === "ready" ? (
        <FlowPanel flow={state.flow} onReplace={replace} onNew={() => show(null)} />
      ) : state.state === "loading" ? (
        <div className="card min-h-[420px] animate-pulse xl:col-span-2" aria-busy="true" aria-label="Loading the verification" />
      ) : state.state === "missing" ? (
        <div className="card p-8 text-sm text-slate-600 xl:col-span-2">This verification is not known to this console (it may belong to another operator).</div>
      ) : (
        <EmptyState />
      )}
    </div>
  );
}
