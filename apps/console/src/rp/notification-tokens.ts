// Client notification tokens (CIBA Core §7.1): a fresh random bearer token per ping or push request,
// 256 bits from the CSPRNG (the spec asks for at least 128, recommends 160). The console keeps only
// the SHA-256 of each token and compares digests in constant time when the provider calls back.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function newNotificationToken(): string {
  return randomBytes(32).toString("base64url");
}

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest();

export interface NotificationTokenRegistry {
  /** Remembers which flow a token belongs to (by digest). */
  register(token: string, flowId: string): void;
  /** The flow whose token this is, or null. */
  lookup(token: string): string | null;
  forget(flowId: string): void;
}

export function createNotificationTokenRegistry(): NotificationTokenRegistry {
  const entries = new Map<string, { digest: Buffer; flowId: string }>();
  return {
    register(token, flowId) {
      entries.set(flowId, { digest: digest(token), flowId });
    },
    lookup(token) {
      const presented = digest(token);
      let match: string | null = null;
      // Compare against every entry so the time taken does not depend on which one matches.
      for (const entry of entries.values()) {
        if (timingSafeEqual(entry.digest, presented)) match = entry.flowId;
      }
      return match;
    },
    forget(flowId) {
      entries.delete(flowId);
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or null. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization?.trim() ?? "");
  return match?.[1] ?? null;
}
