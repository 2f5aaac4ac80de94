// The notification that slides down when a request arrives, like a phone's push banner. Screen readers
// hear the same news from the home screen's live region, so the banner itself is decoration.
"use client";

import type { DeviceRequest } from "@ciba/protocol";
import { BankMark } from "./bank-mark";
import styles from "./home.module.css";

export function IncomingBanner({ request, onOpen }: { request: DeviceRequest | null; onOpen: () => void }) {
  if (!request) return null;
  return (
    <div key={request.id} className={styles.incoming} aria-hidden="true" onClick={onOpen}>
      <span className={styles.incomingIcon}>
        <BankMark size={22} />
      </span>
      <span className={styles.incomingText}>
        <span className={styles.incomingTitle}>
          Acme Bank <span className={styles.incomingTime}>now</span>
        </span>
        <span className={styles.incomingBody}>
          {request.client_name} is asking you to confirm it&apos;s you
          {request.binding_message ? ` · ${request.binding_message}` : ""}
        </span>
      </span>
    </div>
  );
}
