"use client";
// Time left until the request expires (expires_in from the acknowledgement), as a bar and a clock.
// Screen readers get the remaining time on demand (not announced every second).
import { useEffect, useState } from "react";
import { formatCountdown, spokenDuration } from "../format";

export function Countdown({ expiresAt, startedAt }: { expiresAt: string; startedAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const end = Date.parse(expiresAt);
  const total = Math.max(1, end - Date.parse(startedAt));
  const left = Math.max(0, end - now);
  const fraction = Math.min(1, left / total);
  const urgent = left < 30_000;
  return (
    <div>
      <div className="flex items-baseline justify-between text-xs font-medium text-slate-500">
        <span>Expires in</span>
        <span
          role="timer"
          aria-live="off"
          aria-label={`Expires in ${spokenDuration(left)}`}
          className={`font-mono text-sm tabular-nums ${urgent ? "text-amber-700" : "text-slate-700"}`}
        >
          {formatCountdown(left)}
        </span>
      </div>
      <div className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-200" aria-hidden>
        <div
          className={`h-full rounded-full transition-[width] duration-300 ease-linear ${urgent ? "bg-amber-500" : "bg-brand-500"}`}
          style={{ width: `${fraction * 100}%` }}
        />
      </div>
    </div>
  );
}
