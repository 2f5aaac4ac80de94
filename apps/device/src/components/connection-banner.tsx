// Shown while the live connection is down: the provider is unreachable or restarting. It goes away by
// itself when the connection is back and the pending requests have been reloaded.
import { WifiOff } from "lucide-react";
import styles from "./home.module.css";

export function ConnectionBanner() {
  return (
    <div className={styles.reconnecting} role="status">
      <WifiOff size={18} aria-hidden="true" />
      <div>
        <p className={styles.reconnectingTitle}>Reconnecting…</p>
        <p className={styles.reconnectingText}>New requests will appear as soon as the connection is back.</p>
      </div>
      <span className={styles.reconnectingSpinner} aria-hidden="true" />
    </div>
  );
}
