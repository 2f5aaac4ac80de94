"use client";
// When the provider is down the operator must see it before starting anything, and see it recover.
import { RotateCcw, WifiOff } from "lucide-react";
import { useState } from "react";
import { useLive } from "./live/live-context";

export function ProviderBanner() {
  const { status, connected } = useLive();
  const [retrying, setRetrying] = useState(false);
  if (!connected && status) {
    return (
      <div role="alert" className="border-b border-amber-200 bg-amber-50">
        <div className="mx-auto flex max-w-[1400px] items-center gap-3 px-4 py-2.5 text-sm text-amber-900 sm:px-6 lg:px-8">
          <WifiOff aria-hidden className="size-4 shrink-0" />
          <p>Lost the connection to the console server. Reconnecting… Live updates resume on their own.</p>
        </div>
      </div>
    );
  }
  if (status?.state !== "down") return null;
  const retry = async () => {
    setRetrying(true);
    await fetch("/api/provider/retry", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => undefined);
    setRetrying(false);
  };
  return (
    <div role="alert" className="border-b border-rose-200 bg-rose-50">
      <div className="mx-auto flex max-w-[1400px] flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2.5 text-sm text-rose-900 sm:px-6 lg:px-8">
        <WifiOff aria-hidden className="size-4 shrink-0" />
        <p className="min-w-0 flex-1">
          <strong className="font-semibold">The OpenID Provider cannot be reached</strong> at <span className="font-mono text-[13px]">{status.provider_url}</span>.
          Verifications cannot start until it is back; the console retries every few seconds.
          {status.error && <span className="ml-1 text-rose-700">({status.error})</span>}
        </p>
        <button type="button" onClick={() => void retry()} disabled={retrying} className="btn border border-rose-300 bg-white py-1 text-rose-800 hover:bg-rose-100">
          <RotateCcw aria-hidden className={`size-3.5 ${retrying ? "animate-spin" : ""}`} />
          Retry now
        </button>
      </div>
    </div>
  );
}
