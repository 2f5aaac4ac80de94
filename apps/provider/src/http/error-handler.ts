// The one place that decides what an error looks like on the wire. OAuthError → its status and
// {error, error_description}; a zod failure → 400 invalid_request naming the field; anything else is
// logged and answered 500 server_error without detail.
import type { NextFunction, Request, Response } from "express";
import { ZodError } from "zod";
import { OAuthError, quote } from "../errors";
import type { Logger } from "../log";
import { isNulRefusedByDatabase } from "./nul-characters";

export function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "request is malformed";
  const field = issue.path.length ? issue.path.join(".") : "body";
  return quote(`${field}: ${issue.message}`, 200);
}

export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    let oauth: OAuthError;
    if (error instanceof OAuthError) {
      oauth = error;
    } else if (error instanceof ZodError) {
      oauth = new OAuthError("invalid_request", describeZodError(error));
    } else if ((error as { type?: string }).type === "entity.parse.failed") {
      oauth = new OAuthError("invalid_request", "request body is malformed");
    } else if (isNulRefusedByDatabase(error)) {
      // A NUL inside a value the door cannot see (a JWT claim); the database refused it, nothing was stored.
      oauth = new OAuthError("invalid_request", "the request must not contain NUL characters");
    } else if (error instanceof URIError) {
      // The router could not percent-decode a path parameter (e.g. /register/%ff).
      oauth = new OAuthError("invalid_request", "the request path is not valid percent-encoding");
    } else {
      log.error("unhandled error", { method: req.method, path: req.path, error: error as Error });
      oauth = new OAuthError("server_error", "the provider could not complete the request");
    }
    if (res.headersSent) return;
    res.set("Cache-Control", "no-store");
    res.set("Pragma", "no-cache");
    res.set(oauth.headers);
    res.status(oauth.status).json(oauth.toJSON());
  };
}

/** 404 for unknown paths, in the same JSON shape. */
export function notFound(req: Request, _res: Response, next: NextFunction) {
  next(new OAuthError("not_found", `no endpoint at ${quote(req.path)}`));
}

/** 405 with an Allow header for a known path called with the wrong method. */
export function methodNotAllowed(allowed: string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(
      new OAuthError("method_not_allowed", `${quote(req.method)} is not allowed here; use ${allowed.join(" or ")}`, {
        headers: { Allow: allowed.join(", ") },
      }),
    );
  };
}
