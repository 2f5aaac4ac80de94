// The Activity tab: the customer's past requests and what became of each, newest first.
"use client";

import type { DeviceHistoryEntry } from "@ciba/protocol";
import { CircleCheck, CircleSlash, CircleX, History, ShieldAlert, TimerOff } from "lucide-react";
import { formatAmount, formatWhen, paymentsOf } from "../lib/plain-words";
import styles from "./activity.module.css";
import homeStyles from "./home.module.css";
import ui from "./ui.module.css";

export type HistoryState = { status: "loading" } | { status: "failed" } | { status: "ready"; entries: DeviceHistoryEntry[] };

function statusOf(entry: DeviceHistoryEntry) {
  if (entry.status === "approved") return { label: "Approved", tone: "success", Icon: CircleCheck } as const;
  if (entry.status === "denied" && entry.suspected_fraud) return { label: "Reported as fraud", tone: "danger", Icon: ShieldAlert } as const;
  if (entry.status === "denied") return { label: "Declined", tone: "neutral", Icon: CircleX } as const;
  if (entry.status === "cancelled") return { label: "Cancelled", tone: "neutral", Icon: CircleSlash } as const;
  return { label: "Expired", tone: "warning", Icon: TimerOff } as const;
}

interface Props {
  history: HistoryState;
  now: number | null;
  onRetry: () => void;
}

export function ActivityList({ history, now, onRetry }: Props) {
  if (history.status === "loading") {
    return (
      <div className={styles.list} aria-busy="true">
        {[0, 1, 2].map((i) => (
          <span key={i} className={styles.skeletonRow} />
        ))}
        <span className="sr-only">Loading your activity</span>
      </div>
    );
  }
  if (history.status === "failed") {
    return (
      <div className={homeStyles.empty}>
        <h2 className={homeStyles.emptyTitle}>We couldn&apos;t load your activity</h2>
        <button type="button" className={`${ui.button} ${ui.secondary}`} onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (history.entries.length === 0) {
    return (
      <div className={homeStyles.empty}>
        <span className={homeStyles.emptyIcon} aria-hidden="true">
          <History size={32} strokeWidth={1.8} />
        </span>
        <h2 className={homeStyles.emptyTitle}>No activity yet</h2>
        <p className={homeStyles.emptyText}>Requests you approve or decline will be listed here.</p>
      </div>
    );
  }
  const reference = new Date(now ?? Date.now());
  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title" className={styles.title}>
        Recent activity
      </h2>
      <ul className={styles.list}>
        {history.entries.map((entry) => {
          const { label, tone, Icon } = statusOf(entry);
          const payment = paymentsOf(entry.authorization_details)[0];
          const when = new Date(entry.decided_at ?? entry.created_at);
          return (
            <li key={entry.id} className={styles.row}>
              <span className={styles.icon} data-tone={tone} aria-hidden="true">
                <Icon size={20} />
              </span>
              <div className={styles.text}>
                <p className={styles.client}>{entry.client_name}</p>
                <p className={styles.meta}>
                  {[
                    entry.binding_message && `Code ${entry.binding_message}`,
                    payment && formatAmount(payment.instructedAmount),
                    formatWhen(when, reference),
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </p>
              </div>
              <span className={styles.status} data-tone={tone}>
                {label}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
