// Long polling, an opt-in extension to CIBA poll (and ping) mode: a token request carrying
// `Prefer: wait=N` (RFC 7240 §4.3) for a pending request is held up to min(N, the server's cap)
// seconds and answered as soon as the request ends, with `Preference-Applied: wait=N`. The interval
// rule is unchanged: the held request counts as a poll at its start, so a request that comes back
// pending after the full wait may be followed at once when N ≥ the interval. Without the header, or
// with the cap at 0, the token endpoint behaves exactly as the standard says.
import type { AuthRequest } from "@ciba/db";
import type { Request } from "express";
import type { ProviderDeps } from "../deps";

/**
 * The `wait` preference in seconds, or null when absent, zero or malformed (RFC 7240: a preference
 * the server does not understand is ignored). Only the first `wait` counts (RFC 7240 §2).
 */
export function preferredWait(header: string | string[] | undefined): number | null {
  if (header === undefined) return null;
  const text = Array.isArray(header) ? header.join(",") : header;
  // Preferences are comma-separated; a quoted value may itself contain commas.
  for (const preference of text.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const [head = ""] = preference.split(";");
    const eq = head.indexOf("=");
    const name = (eq < 0 ? head : head.slice(0, eq)).trim().toLowerCase();
    if (name !== "wait") continue;
    const value = eq < 0 ? "" : head.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (!/^\d{1,6}$/.test(value)) return null;
    const seconds = Number(value);
    return seconds > 0 ? seconds : null;
  }
  return null;
}

/** The seconds this token request may be held, or null when it is answered at once. */
export function longPollSeconds(deps: ProviderDeps, req: Request): number | null {
  const cap = deps.config.ciba.longPollMaxWaitSeconds;
  const wanted = preferredWait(req.headers.prefer);
  return cap > 0 && wanted !== null ? Math.min(wanted, cap) : null;
}

const sleep = (ms: number) => new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref());

/**
 * Holds a pending request's token request for up to `seconds` (never past the request's expiry).
 * Returns the request as it is once it has ended, or null when it is still pending at the end of the
 * wait, the client went away, or the provider is shutting down: the caller then answers
 * authorization_pending (to nobody, if the client left; nothing is redeemed for a departed client).
 */
export async function holdUntilEnded(deps: ProviderDeps, request: AuthRequest, seconds: number, req: Request): Promise<AuthRequest | null> {
  const res = req.res!;
  res.setHeader("Preference-Applied", `wait=${seconds}`);
  const untilExpiry = request.expiresAt.getTime() - deps.clock.now().getTime();
  const deadline = Date.now() + Math.min(seconds * 1000, Math.max(untilExpiry, 0));

  let gone = false;
  let leave!: (why: "gone") => void;
  const left = new Promise<"gone">((resolve) => (leave = resolve));
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    leave("gone");
  };
  res.once("close", onClose);
  try {
    for (;;) {
      // Subscribe before reading, so an ending between the read and the wait is not missed.
      const subscription = deps.completions.subscribe(request.id);
      try {
        const latest = await deps.repos.authRequests.findById(request.id);
        if (!latest || gone) return null;
        if (latest.status !== "pending") return latest;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return latest.expiresAt <= deps.clock.now() ? latest : null;
        const why = await Promise.race([subscription.ended, sleep(Math.min(remaining, deps.completions.recheckMs)), left]);
        if (why === "gone") return null;
        if (why === "closed") {
          // Shutting down: answer now with whatever the request is, and let the connection go, so the
          // server does not wait for the client to close an idle keep-alive connection.
          res.setHeader("Connection", "close");
          const last = await deps.repos.authRequests.findById(request.id);
          return last && last.status !== "pending" ? last : null;
        }
      } finally {
        subscription.cancel();
      }
    }
  } finally {
    res.off("close", onClose);
  }
}
