// Shown for the instant before the tab's session is read: the bank's mark on its brand colour.
import { BankMark } from "./bank-mark";
import styles from "./splash.module.css";

export function Splash() {
  return (
    <div className={styles.splash}>
      <BankMark size={56} />
      <span className="sr-only">Loading</span>
    </div>
  );
}
