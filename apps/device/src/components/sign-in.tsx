// Sign-in: pick a demo customer (offered by the provider in its demo profile) or type a login hint,
// then enter the PIN. The device token that comes back is this tab's session.
"use client";

import type { DemoUserEntry } from "@ciba/protocol";
import { AlertCircle, ArrowLeft, ChevronRight, Info, ShieldCheck, WifiOff } from "lucide-react";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { DeviceApiError, type DeviceApi, describeFailure, describePinError } from "../lib/device-api";
import { initials } from "../lib/plain-words";
import type { DeviceSession } from "../lib/session";
import { BankMark } from "./bank-mark";
import styles from "./sign-in.module.css";
import ui from "./ui.module.css";

export interface SignInNotice {
  tone: "info" | "warning";
  text: string;
}

/** `unavailable`: the provider offers no demo users (production); `offline`: it could not be reached. */
type DemoUsers = { status: "loading" } | { status: "ready"; users: DemoUserEntry[] } | { status: "unavailable" } | { status: "offline" };

interface Props {
  api: DeviceApi;
  notice: SignInNotice | null;
  onSignedIn: (session: DeviceSession) => void;
}

export function SignIn({ api, notice, onSignedIn }: Props) {
  const [demoUsers, setDemoUsers] = useState<DemoUsers>({ status: "loading" });
  const [chosen, setChosen] = useState<{ loginHint: string; name: string | null } | null>(null);
  const [hintError, setHintError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.demoUsers().then(
      (users) => !cancelled && setDemoUsers(users.length ? { status: "ready", users } : { status: "unavailable" }),
      (error: unknown) =>
        !cancelled &&
        setDemoUsers({ status: error instanceof DeviceApiError && error.code === "network_error" ? "offline" : "unavailable" }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  return (
    <div className={styles.screen}>
      <div className={styles.hero}>
        <BankMark size={52} />
        <h1 className={styles.brand}>Acme Bank</h1>
        <p className={styles.tagline}>Approve requests securely on this device</p>
      </div>
      <div className={styles.sheet}>
        {notice && (
          <p className={`${styles.notice} ${styles[notice.tone]}`} role="status">
            <Info size={18} aria-hidden="true" />
            {notice.text}
          </p>
        )}
        {demoUsers.status === "offline" && !chosen && (
          <div className={`${styles.notice} ${styles.warning}`} role="status">
            <WifiOff size={18} aria-hidden="true" />
            <p className={styles.noticeText}>
              We can&apos;t reach the bank right now.
              <span className={styles.noticeDetail}>Is the provider running at {api.providerUrl}?</span>
            </p>
            <button
              type="button"
              className={styles.noticeAction}
              onClick={() => {
                setDemoUsers({ status: "loading" });
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </button>
          </div>
        )}
        {chosen ? (
          <PinStep
            api={api}
            loginHint={chosen.loginHint}
            name={chosen.name}
            demo={demoUsers.status === "ready" && demoUsers.users.length > 0}
            onBack={() => setChosen(null)}
            onUnknownUser={() => {
              setHintError("We couldn't find a customer with that login hint. Check it and try again.");
              setChosen(null);
            }}
            onSignedIn={onSignedIn}
          />
        ) : (
          <ChooseStep
            demoUsers={demoUsers}
            hintError={hintError}
            onChoose={(loginHint, name) => {
              setHintError(null);
              setChosen({ loginHint, name });
            }}
          />
        )}
      </div>
    </div>
  );
}

function ChooseStep({
  demoUsers,
  hintError,
  onChoose,
}: {
  demoUsers: DemoUsers;
  hintError: string | null;
  onChoose: (loginHint: string, name: string | null) => void;
}) {
  const hintId = useId();
  const errorId = useId();
  const [hint, setHint] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (hint.trim()) onChoose(hint.trim(), null);
  };

  return (
    <div className={styles.step}>
      <h2 className={styles.title}>Sign in</h2>
      {(demoUsers.status === "loading" || demoUsers.status === "ready") && (
        <section aria-labelledby={`${hintId}-demo`} className={styles.section}>
          <h3 id={`${hintId}-demo`} className={styles.sectionTitle}>
            Choose a demo customer
          </h3>
          {demoUsers.status === "loading" ? (
            <ul className={styles.users} aria-busy="true">
              {[0, 1, 2].map((i) => (
                <li key={i} className={styles.userSkeleton} />
              ))}
            </ul>
          ) : (
            <ul className={styles.users}>
              {demoUsers.users.map((user) => (
                <li key={user.login_hint}>
                  <button type="button" className={styles.user} onClick={() => onChoose(user.login_hint, user.name)}>
                    <span className={styles.avatar} aria-hidden="true">
                      {initials(user.name)}
                    </span>
                    <span className={styles.userText}>
                      <span className={styles.userName}>{user.name}</span>
                      <span className={styles.userHint}>{user.login_hint}</span>
                    </span>
                    <ChevronRight size={20} aria-hidden="true" className={styles.chevron} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {(demoUsers.status === "loading" || demoUsers.status === "ready") && (
        <p className={styles.divider}>
          <span>or</span>
        </p>
      )}
      <form className={styles.section} onSubmit={submit} noValidate>
        <div className={ui.field}>
          <label htmlFor={hintId} className={ui.label}>
            Login hint
          </label>
          <input
            id={hintId}
            className={ui.input}
            value={hint}
            onChange={(e) => setHint(e.target.value)}
            placeholder="Email, phone or customer number"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            aria-invalid={hintError ? true : undefined}
            aria-describedby={hintError ? errorId : undefined}
          />
        </div>
        {hintError && (
          <p id={errorId} className={ui.error} role="alert">
            <AlertCircle size={18} aria-hidden="true" />
            {hintError}
          </p>
        )}
        <button type="submit" className={`${ui.button} ${ui.secondary}`} disabled={!hint.trim()}>
          Continue
        </button>
      </form>
    </div>
  );
}

function PinStep({
  api,
  loginHint,
  name,
  demo,
  onBack,
  onUnknownUser,
  onSignedIn,
}: {
  api: DeviceApi;
  loginHint: string;
  name: string | null;
  demo: boolean;
  onBack: () => void;
  onUnknownUser: () => void;
  onSignedIn: (session: DeviceSession) => void;
}) {
  const pinId = useId();
  const errorId = useId();
  const [pin, setPin] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!pin || busy) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(loginHint, pin));
    } catch (failure) {
      setBusy(false);
      setPin("");
      if (failure instanceof DeviceApiError && failure.code === "invalid_credentials" && failure.description.startsWith("no user")) {
        return onUnknownUser();
      }
      const pinProblem = failure instanceof DeviceApiError && (failure.code === "invalid_credentials" || failure.status === 429);
      setError(pinProblem ? describePinError(failure) : describeFailure(failure));
      input.current?.focus();
    }
  };

  return (
    <form className={styles.step} onSubmit={(e) => void submit(e)} noValidate>
      <button type="button" className={styles.back} onClick={onBack}>
        <ArrowLeft size={18} aria-hidden="true" />
        Choose someone else
      </button>
      <div className={styles.who}>
        <span className={`${styles.avatar} ${styles.avatarLarge}`} aria-hidden="true">
          {initials(name ?? loginHint)}
        </span>
        <h2 className={styles.title}>{name ? `Welcome back, ${name.split(" ")[0]}` : "Welcome back"}</h2>
        <p className={styles.subtitle}>{name ? loginHint : `Signing in as ${loginHint}`}</p>
      </div>
      <div className={ui.field}>
        <label htmlFor={pinId} className={ui.label}>
          PIN
        </label>
        <input
          ref={input}
          id={pinId}
          className={ui.pin}
          type="password"
          inputMode="numeric"
          autoComplete="current-password"
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          placeholder="Enter your PIN"
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
      </div>
      {error && (
        <p id={errorId} className={ui.error} role="alert">
          <AlertCircle size={18} aria-hidden="true" />
          {error}
        </p>
      )}
      <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={!pin || busy} aria-busy={busy || undefined}>
        {busy ? <span className={ui.spinner} aria-hidden="true" /> : <ShieldCheck size={20} aria-hidden="true" />}
        Sign in
      </button>
      {demo && <p className={styles.hint}>Demo customers all use the PIN 1234.</p>}
    </form>
  );
}
