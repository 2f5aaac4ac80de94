// The Requests tab: a placeholder until the pending list has loaded, a calm empty state, or the cards.
"use client";

import { Info, ShieldCheck } from "lucide-react";
import type { Decision, RequestsState } from "../lib/requests-state";
import styles from "./home.module.css";
import { type DecisionResult, RequestCardView } from "./request-card";
import cardStyles from "./request-card.module.css";

interface Props {
  /** "Good morning, Alice": shown above the empty state. */
  greeting: string;
  state: RequestsState;
  now: number | null;
  onDecide: (id: string, decision: Decision, pin?: string) => Promise<DecisionResult>;
  onExpired: (id: string) => void;
  onDismiss: (id: string) => void;
}

export function RequestList({ greeting, state, now, onDecide, onExpired, onDismiss }: Props) {
  if (!state.loaded && state.cards.length === 0) {
    return (
      <div className={cardStyles.skeleton} aria-busy="true">
        <span className="sr-only">Loading your requests</span>
      </div>
    );
  }
  if (state.cards.length === 0) {
    return (
      <>
        <p className={styles.greeting}>{greeting}</p>
        <div className={styles.empty}>
          <span className={styles.emptyIcon} aria-hidden="true">
            <ShieldCheck size={34} strokeWidth={1.8} />
          </span>
          <h2 className={styles.emptyTitle}>No requests right now</h2>
          <p className={styles.emptyText}>
            When Acme Bank needs you to confirm it&apos;s you, the request appears here straight away.
          </p>
        </div>
        <aside className={styles.tip} aria-label="Security tip">
          <Info size={20} aria-hidden="true" />
          <p>
            <strong>We&apos;ll never pressure you to approve.</strong> If a request arrives and you aren&apos;t on a call with
            us, choose &ldquo;I&apos;m not on a call with anyone&rdquo; and we&apos;ll stop it.
          </p>
        </aside>
      </>
    );
  }
  return (
    <ul className={styles.cards}>
      {state.cards.map((card) => (
        <li key={card.request.id}>
          <RequestCardView
            card={card}
            now={now}
            onDecide={(decision, pin) => onDecide(card.request.id, decision, pin)}
            onExpired={() => onExpired(card.request.id)}
            onDismiss={() => onDismiss(card.request.id)}
          />
        </li>
      ))}
    </ul>
  );
}
