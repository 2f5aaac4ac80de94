// Responses that carry tokens or protocol state must not be cached (RFC 6749 §5.1).
import type { NextFunction, Request, Response } from "express";

export function noStore(_req: Request, res: Response, next: NextFunction) {
  res.set("Cache-Control", "no-store");
  res.set("Pragma", "no-cache");
  next();
}
