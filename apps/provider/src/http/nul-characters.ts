// NUL (U+0000) is in no OAuth, OpenID Connect or Device API value, and PostgreSQL text cannot hold it:
// a request carrying one is refused at the door with invalid_request, the same on every database,
// instead of failing in the database.
import type { NextFunction, Request, Response } from "express";
import { OAuthError } from "../errors";

/** PostgreSQL's "character not in repertoire" (a NUL that got past the door, e.g. inside a JWT claim). */
const POSTGRES_CHARACTER_NOT_IN_REPERTOIRE = "22021";

/** Refuses a URL whose path or query percent-encodes a NUL (Node refuses raw ones itself). */
export function rejectNulInUrl(req: Request, _res: Response, next: NextFunction) {
  if (/%00/i.test(req.url)) throw new OAuthError("invalid_request", "the request URL must not contain NUL characters");
  next();
}

/** Whether any string in a parsed JSON value (keys included) contains NUL; iterative, for deep nesting. */
export function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length) {
    const item = pending.pop();
    if (typeof item === "string") {
      if (item.includes("\u0000")) return true;
    } else if (Array.isArray(item)) {
      pending.push(...(item as unknown[]));
    } else if (item && typeof item === "object") {
      for (const [key, inner] of Object.entries(item)) {
        if (key.includes("\u0000")) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

/**
 * Whether the database refused a value because it holds a NUL: through Prisma (its adapter's error
 * carries PostgreSQL's code in `cause`) or through @ciba/db's SQL layer (pg's own error, code on it).
 */
export function isNulRefusedByDatabase(error: unknown): boolean {
  const refused = error as { code?: string; severity?: string; cause?: { kind?: string; code?: string } } | null;
  if (refused?.cause?.kind === "postgres" && refused.cause.code === POSTGRES_CHARACTER_NOT_IN_REPERTOIRE) return true;
  return refused?.code === POSTGRES_CHARACTER_NOT_IN_REPERTOIRE && typeof refused.severity === "string";
}
