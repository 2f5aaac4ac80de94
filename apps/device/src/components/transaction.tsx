// The transaction a request asks the customer to confirm (RFC 9396 payment_initiation): amount first,
// then who is paid and the reference. Other authorization detail types are named, never hidden.
import type { AuthorizationDetail } from "@ciba/protocol";
import { formatAmount, formatIban, otherDetailTypes, paymentsOf } from "../lib/plain-words";
import styles from "./request-card.module.css";

export function Transaction({ details }: { details: AuthorizationDetail[] | null }) {
  const payments = paymentsOf(details);
  const others = otherDetailTypes(details);
  if (!payments.length && !others.length) return null;
  return (
    <>
      {payments.map((payment, index) => (
        <section key={index} className={styles.payment} aria-label="Payment to confirm">
          <p className={styles.paymentLabel}>Payment</p>
          <p className={styles.amount}>{formatAmount(payment.instructedAmount)}</p>
          <dl className={styles.paymentRows}>
            <div>
              <dt>To</dt>
              <dd>{payment.creditorName}</dd>
            </div>
            {payment.creditorAccount && (
              <div>
                <dt>Account</dt>
                <dd className={styles.iban}>{formatIban(payment.creditorAccount.iban)}</dd>
              </div>
            )}
            {payment.remittanceInformationUnstructured && (
              <div>
                <dt>Reference</dt>
                <dd>{payment.remittanceInformationUnstructured}</dd>
              </div>
            )}
          </dl>
        </section>
      ))}
      {others.length > 0 && (
        <p className={styles.otherDetails}>Also asks for: {others.map((t) => t.replaceAll("_", " ")).join(", ")}</p>
      )}
    </>
  );
}
