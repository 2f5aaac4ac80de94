// A phone on a desktop screen (bezel, status bar with a live clock), the whole viewport on a narrow one.
"use client";

import type { ReactNode } from "react";
import { LOCALE } from "../lib/plain-words";
import { useNow } from "../lib/use-now";
import styles from "./phone-frame.module.css";

function Clock() {
  const now = useNow();
  const time = now === null ? "" : new Date(now).toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit" });
  return (
    <time className={styles.clock} dateTime={now === null ? undefined : new Date(now).toISOString()} suppressHydrationWarning>
      {time}
    </time>
  );
}

/** Signal, Wi-Fi and battery: decoration that makes the frame read as a phone. */
function StatusIcons() {
  return (
    <span className={styles.statusIcons} aria-hidden="true">
      <svg width="18" height="12" viewBox="0 0 18 12">
        <rect x="0" y="8" width="3" height="4" rx="1" fill="currentColor" />
        <rect x="5" y="5.5" width="3" height="6.5" rx="1" fill="currentColor" />
        <rect x="10" y="3" width="3" height="9" rx="1" fill="currentColor" />
        <rect x="15" y="0" width="3" height="12" rx="1" fill="currentColor" />
      </svg>
      <svg width="16" height="12" viewBox="0 0 16 12">
        <path d="M8 2.3c2.4 0 4.6.9 6.2 2.5l1.2-1.2A10.4 10.4 0 0 0 8 .6C5.1.6 2.5 1.7.6 3.6l1.2 1.2A8.7 8.7 0 0 1 8 2.3Z" fill="currentColor" />
        <path d="M8 5.7c1.5 0 2.8.6 3.8 1.5L13 6a7.1 7.1 0 0 0-10 0l1.2 1.2c1-1 2.3-1.5 3.8-1.5Z" fill="currentColor" />
        <path d="M8 9c.7 0 1.3.3 1.7.7L8 11.4 6.3 9.7C6.7 9.3 7.3 9 8 9Z" fill="currentColor" />
      </svg>
      <svg width="27" height="13" viewBox="0 0 27 13">
        <rect x="0.5" y="0.5" width="23" height="12" rx="3.5" fill="none" stroke="currentColor" strokeOpacity="0.45" />
        <rect x="2" y="2" width="17" height="9" rx="2" fill="currentColor" />
        <path d="M25 4.5v4c.8-.3 1.3-1.1 1.3-2s-.5-1.7-1.3-2Z" fill="currentColor" fillOpacity="0.45" />
      </svg>
    </span>
  );
}

export function PhoneFrame({ children }: { children: ReactNode }) {
  return (
    <div className={styles.page}>
      <header className={styles.pageHeader}>
        <p className={styles.pageTitle}>Authentication Device</p>
        <p className={styles.pageSubtitle}>CIBA simulator · one phone per browser tab</p>
      </header>
      <div className={styles.phone}>
        <div className={styles.screen}>
          <div className={styles.statusBar}>
            <Clock />
            <span className={styles.island} aria-hidden="true" />
            <StatusIcons />
          </div>
          <main className={styles.content}>{children}</main>
          <span className={styles.homeIndicator} aria-hidden="true" />
        </div>
      </div>
      <p className={styles.pageFooter}>Open another tab to sign in as a different customer.</p>
    </div>
  );
}
