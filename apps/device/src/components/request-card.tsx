// One request on the device. Pending: who is asking, the binding message (large, first), the payment if
// any, what approving shares in plain words, a countdown, and the three answers. Ended (here, elsewhere,
// by the client or by time): what happened, with nothing left to act on.
"use client";

import { AlertCircle, Building2, Check, CircleCheck, CircleX, Clock3, PhoneOff, ShieldAlert, TimerOff } from "lucide-react";
import { useEffect, useEffectEvent, useId, useRef, useState } from "react";
import { DeviceApiError, describeFailure } from "../lib/device-api";
import { formatAmount, formatCountdown, paymentsOf, scopeToSentences } from "../lib/plain-words";
import type { Decision, RequestCard } from "../lib/requests-state";
import { ApproveStep } from "./approve-step";
import { describeOutcome, type OutcomeTone } from "./outcome";
import styles from "./request-card.module.css";
import { Transaction } from "./transaction";
import ui from "./ui.module.css";

export type DecisionResult = { ok: true } | { ok: false; error: unknown };

export interface RequestCardProps {
  card: RequestCard;
  /** The current time (ms), or null before the clock has started. */
  now: number | null;
  onDecide: (decision: Decision, pin?: string) => Promise<DecisionResult>;
  /** The countdown reached zero before the provider said anything. */
  onExpired: () => void;
  onDismiss: () => void;
}

/** Below this, the countdown turns red. */
const URGENT_MS = 30_000;

function cardLabel(card: RequestCard): string {
  const { client_name, binding_message } = card.request;
  return `${client_name} is asking you to confirm it's you${binding_message ? `. Code ${binding_message}` : ""}`;
}

export function RequestCardView(props: RequestCardProps) {
  return props.card.outcome ? <EndedCard {...props} /> : <PendingCard {...props} />;
}

function PendingCard({ card, now, onDecide, onExpired }: RequestCardProps) {
  const { request, deciding } = card;
  const ids = useId();
  const [approving, setApproving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approveButton = useRef<HTMLButtonElement>(null);
  const remaining = now === null ? null : Date.parse(request.expires_at) - now;
  const lifetime = Date.parse(request.expires_at) - Date.parse(request.created_at);
  const timeUp = remaining !== null && remaining <= 0;
  const expire = useEffectEvent(onExpired);
  const hasPayment = paymentsOf(request.authorization_details).length > 0;

  useEffect(() => {
    if (timeUp) expire();
  }, [timeUp]);

  const answer = async (decision: Exclude<Decision, "approve">) => {
    setError(null);
    const result = await onDecide(decision);
    if (!result.ok && !(result.error instanceof DeviceApiError && (result.error.requestGone || result.error.sessionExpired))) {
      setError(describeFailure(result.error));
    }
  };

  return (
    <article className={styles.card} data-live={card.live || undefined} aria-label={cardLabel(card)}>
      <header className={styles.header}>
        <span className={styles.clientIcon} aria-hidden="true">
          <Building2 size={20} />
        </span>
        <div>
          <h2 className={styles.client}>{request.client_name}</h2>
          <p className={styles.ask}>is asking you to {hasPayment ? "confirm a payment" : "confirm it's you"}</p>
        </div>
      </header>

      {request.binding_message ? (
        <section className={styles.code} aria-labelledby={`${ids}-code`}>
          <p id={`${ids}-code`} className={styles.codeLabel}>
            Security code
          </p>
          <p className={styles.codeValue} data-long={request.binding_message.length > 10 || undefined}>
            {request.binding_message}
          </p>
          <p className={styles.codeHelp}>Only approve if this matches the code the caller gave you.</p>
        </section>
      ) : (
        <p className={styles.codeHelp}>Only approve if you're expecting this request right now.</p>
      )}

      <Transaction details={request.authorization_details} />

      <section aria-labelledby={`${ids}-scopes`}>
        <h3 id={`${ids}-scopes`} className={styles.sectionTitle}>
          If you approve, they can
        </h3>
        <ul className={styles.scopes}>
          {scopeToSentences(request.scope).map((sentence) => (
            <li key={sentence}>
              <Check size={16} aria-hidden="true" />
              {sentence}
            </li>
          ))}
        </ul>
      </section>

      {remaining !== null && (
        <div className={styles.countdown} data-urgent={remaining < URGENT_MS || undefined}>
          <p>
            <Clock3 size={16} aria-hidden="true" />
            Expires in <span className={styles.countdownValue}>{formatCountdown(remaining)}</span>
          </p>
          <span className={styles.progress} aria-hidden="true">
            <span style={{ transform: `scaleX(${Math.max(0, Math.min(1, remaining / lifetime))})` }} />
          </span>
        </div>
      )}

      {approving ? (
        <ApproveStep
          clientName={request.client_name}
          onApprove={(pin) => onDecide("approve", pin)}
          onCancel={() => {
            setApproving(false);
            requestAnimationFrame(() => approveButton.current?.focus());
          }}
        />
      ) : (
        <div className={styles.actions}>
          {error && (
            <p className={ui.error} role="alert">
              <AlertCircle size={18} aria-hidden="true" />
              {error}
            </p>
          )}
          <div className={styles.answerRow}>
            <button
              type="button"
              className={`${ui.button} ${ui.secondary}`}
              disabled={deciding !== null}
              aria-busy={deciding === "deny" || undefined}
              onClick={() => void answer("deny")}
            >
              {deciding === "deny" && <span className={ui.spinner} aria-hidden="true" />}
              Deny
            </button>
            <button
              ref={approveButton}
              type="button"
              className={`${ui.button} ${ui.primary}`}
              disabled={deciding !== null}
              onClick={() => {
                setError(null);
                setApproving(true);
              }}
            >
              Approve
            </button>
          </div>
          <button
            type="button"
            className={`${ui.button} ${ui.danger}`}
            disabled={deciding !== null}
            aria-busy={deciding === "report" || undefined}
            onClick={() => void answer("report")}
          >
            {deciding === "report" ? <span className={ui.spinner} aria-hidden="true" /> : <PhoneOff size={18} aria-hidden="true" />}
            I&apos;m not on a call with anyone
          </button>
        </div>
      )}
    </article>
  );
}

const toneIcons: Record<OutcomeTone, typeof CircleCheck> = {
  success: CircleCheck,
  neutral: CircleX,
  danger: ShieldAlert,
  warning: TimerOff,
};

function EndedCard({ card, onDismiss }: RequestCardProps) {
  const { request, outcome } = card;
  const heading = useRef<HTMLHeadingElement>(null);
  const copy = describeOutcome(outcome!, request.client_name);
  const Icon = toneIcons[copy.tone];
  const payment = paymentsOf(request.authorization_details)[0];

  // The button the user pressed is gone: keep keyboard and screen-reader users on this card.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) heading.current?.focus({ preventScroll: true });
  }, []);

  return (
    <article className={styles.card} data-ended={copy.tone} aria-label={cardLabel(card)}>
      <div className={styles.outcome} data-tone={copy.tone}>
        <span className={styles.outcomeIcon} aria-hidden="true">
          <Icon size={26} />
        </span>
        <div>
          <h2 ref={heading} tabIndex={-1} className={styles.outcomeTitle}>
            {copy.title}
          </h2>
          <p className={styles.outcomeText}>{copy.text}</p>
        </div>
      </div>
      <dl className={styles.summary}>
        <div>
          <dt>From</dt>
          <dd>{request.client_name}</dd>
        </div>
        {request.binding_message && (
          <div>
            <dt>Code</dt>
            <dd className={styles.mono}>{request.binding_message}</dd>
          </div>
        )}
        {payment && (
          <div>
            <dt>Payment</dt>
            <dd>
              {formatAmount(payment.instructedAmount)} to {payment.creditorName}
            </dd>
          </div>
        )}
      </dl>
      <button type="button" className={`${ui.button} ${ui.secondary}`} onClick={onDismiss}>
        Dismiss
      </button>
    </article>
  );
}
