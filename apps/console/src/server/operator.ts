// Who is operating: each browser gets an operator id in an HttpOnly cookie on its first visit. Flows,
// history and live updates are scoped to it, so one operator never sees another's callers. (A real
// call centre would put its single sign-on here; the scoping would stay the same.)
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const OPERATOR_COOKIE = "ciba_console_operator";
const ONE_YEAR = 365 * 24 * 3600;

export function operatorFromCookie(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === OPERATOR_COOKIE) {
      const value = rest.join("=");
      return /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** The operator of this request, issuing a new id (and its cookie) when there is none. */
export function ensureOperator(req: IncomingMessage, res: ServerResponse, secure: boolean): string {
  const existing = operatorFromCookie(req.headers.cookie);
  if (existing) return existing;
  const id = randomBytes(18).toString("base64url");
  const attributes = [`${OPERATOR_COOKIE}=${id}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${ONE_YEAR}`];
  if (secure) attributes.push("Secure");
  res.appendHeader("Set-Cookie", attributes.join("; "));
  // Later handlers of this same request (the page render, the API) see it as if the browser had sent it.
  req.headers.cookie = [req.headers.cookie, `${OPERATOR_COOKIE}=${id}`].filter(Boolean).join("; ");
  return id;
}
