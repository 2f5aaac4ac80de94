// JSON bodies for the Authentication Device API, with errors in the same JSON shape as OAuth ones.
import express, { type NextFunction, type Request, type Response } from "express";
import { OAuthError } from "../errors";
import { containsNul } from "./nul-characters";

const parser = express.json({ limit: "16kb", strict: true, type: "application/json" });

/** Parses a JSON body when one is sent; an empty body is `{}`. Other media types are refused. */
export function jsonBody() {
  return (req: Request, res: Response, next: NextFunction) => {
    const length = Number(req.headers["content-length"] ?? 0);
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (!length && !chunked) {
      req.body = {};
      return next();
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      req.resume();
      return next(new OAuthError("invalid_request", "the request body must be application/json"));
    }
    parser(req, res, (error?: unknown) => {
      if (!error) {
        req.body ??= {};
        if (containsNul(req.body)) return next(new OAuthError("invalid_request", "request body must not contain NUL characters"));
        return next();
      }
      const { type: kind } = error as { type?: string };
      if (kind === "entity.too.large") return next(new OAuthError("invalid_request", "request body is larger than 16 KiB"));
      return next(new OAuthError("invalid_request", "request body is not valid JSON", { cause: error }));
    });
  };
}
