// Strict application/x-www-form-urlencoded parsing for the OAuth endpoints: the wrong media type, a
// malformed encoding, an oversized body or a repeated parameter is invalid_request, never a 500.
import type { NextFunction, Request, Response } from "express";
import { OAuthError, quote } from "../errors";

export const MAX_FORM_BYTES = 64 * 1024;

/** Form parameters after duplicate rejection: one string per name. */
export type FormParams = Record<string, string>;

declare module "express-serve-static-core" {
  interface Request {
    form?: FormParams;
  }
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new OAuthError("invalid_request", "request body is not valid application/x-www-form-urlencoded");
  }
}

/** Parses a form body; rejects a parameter that appears more than once (RFC 6749 §3.1, CIBA Core §13). */
export function parseForm(body: string): FormParams {
  const params: FormParams = Object.create(null) as FormParams;
  if (body === "") return params;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    if (name.includes("\u0000") || value.includes("\u0000")) {
      throw new OAuthError("invalid_request", `parameter ${quote(name)} must not contain NUL characters`);
    }
    if (Object.hasOwn(params, name)) {
      throw new OAuthError("invalid_request", `parameter ${quote(name)} is included more than once`);
    }
    params[name] = value;
  }
  return params;
}

function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      reject(new OAuthError("invalid_request", `request body is larger than ${limit / 1024} KiB`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new OAuthError("invalid_request", `request body is larger than ${limit / 1024} KiB`));
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Middleware for POST endpoints that take a form body. GET requests (userinfo) pass through with
 * an empty form.
 */
export function formBody(limit = MAX_FORM_BYTES) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
    if (req.method !== "POST" || !hasBody) {
      req.form = Object.create(null) as FormParams;
      return next();
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") {
      // Drain the body so the connection stays usable, then refuse.
      req.resume();
      throw new OAuthError(
        "invalid_request",
        "the request body must be application/x-www-form-urlencoded",
      );
    }
    const raw = await readBody(req, limit);
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      throw new OAuthError("invalid_request", "request body is not valid UTF-8");
    }
    req.form = parseForm(text);
    next();
  };
}
