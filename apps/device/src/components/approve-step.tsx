// Approving asks the customer to prove it is them: the PIN (checked by the provider, so a wrong PIN is
// refused there and approves nothing) or a simulated biometric check.
"use client";

import { AlertCircle, Fingerprint, ShieldCheck } from "lucide-react";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { DeviceApiError, describePinError } from "../lib/device-api";
import type { DecisionResult } from "./request-card";
import styles from "./request-card.module.css";
import ui from "./ui.module.css";

/** How long the simulated fingerprint scan takes: long enough to be seen in a demo. */
const BIOMETRIC_SCAN_MS = 1200;

interface Props {
  clientName: string;
  onApprove: (pin?: string) => Promise<DecisionResult>;
  onCancel: () => void;
}

export function ApproveStep({ clientName, onApprove, onCancel }: Props) {
  const ids = useId();
  const [pin, setPin] = useState("");
  const [busy, setBusy] = useState<"pin" | "biometric" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [locked, setLocked] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    // Bring the whole step (PIN and Confirm) on screen, not just the focused field.
    form.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
    return () => {
      mounted.current = false;
    };
  }, []);

  const settle = (result: DecisionResult) => {
    // On success (or when the request ended meanwhile) the card is replaced; nothing to update.
    if (result.ok || !mounted.current) return;
    setBusy(null);
    const { error: failure } = result;
    if (failure instanceof DeviceApiError && (failure.code === "invalid_credentials" || failure.status === 429)) {
      setLocked(failure.status === 429 || /locked/.test(failure.description));
      setError(describePinError(failure));
      setPin("");
      requestAnimationFrame(() => input.current?.focus());
    } else {
      setError(describePinError(failure instanceof DeviceApiError ? failure : new DeviceApiError(0, "network_error", "")));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!pin || busy) return;
    setBusy("pin");
    setError(null);
    settle(await onApprove(pin));
  };

  const approveWithBiometrics = async () => {
    setBusy("biometric");
    setError(null);
    await new Promise((resolve) => setTimeout(resolve, BIOMETRIC_SCAN_MS));
    if (!mounted.current) return;
    settle(await onApprove());
  };

  if (busy === "biometric") {
    return (
      <div className={styles.biometric} role="status">
        <span className={styles.fingerprint} aria-hidden="true">
          <Fingerprint size={44} strokeWidth={1.6} />
        </span>
        <p className={styles.biometricText}>Checking your fingerprint…</p>
      </div>
    );
  }

  return (
    <form ref={form} className={styles.approve} onSubmit={(e) => void submit(e)} aria-labelledby={`${ids}-title`} noValidate>
      <div>
        <h3 id={`${ids}-title`} className={styles.approveTitle}>
          Confirm it&apos;s you
        </h3>
        <p className={styles.approveText}>Enter your PIN to approve the request from {clientName}.</p>
      </div>
      <div className={ui.field}>
        <label htmlFor={`${ids}-pin`} className={ui.label}>
          PIN
        </label>
        <input
          ref={input}
          id={`${ids}-pin`}
          className={ui.pin}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          placeholder="Enter your PIN"
          autoFocus
          disabled={locked}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids}-error` : undefined}
        />
      </div>
      {error && (
        <p id={`${ids}-error`} className={ui.error} role="alert">
          <AlertCircle size={18} aria-hidden="true" />
          {error}
        </p>
      )}
      <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={!pin || busy !== null || locked} aria-busy={busy === "pin" || undefined}>
        {busy === "pin" ? <span className={ui.spinner} aria-hidden="true" /> : <ShieldCheck size={20} aria-hidden="true" />}
        Confirm
      </button>
      <div className={styles.approveRow}>
        <button type="button" className={`${ui.button} ${ui.quiet}`} onClick={() => void approveWithBiometrics()} disabled={busy !== null}>
          <Fingerprint size={18} aria-hidden="true" />
          Use biometrics
        </button>
        <button type="button" className={`${ui.button} ${ui.quiet}`} onClick={onCancel} disabled={busy !== null}>
          Cancel
        </button>
      </div>
    </form>
  );
}
