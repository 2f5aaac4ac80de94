// Security headers on every answer (helmet). The provider serves JSON only, so nothing may be framed,
// run or loaded from it; HSTS only when the issuer is https (browsers ignore it over http anyway, and
// on http://localhost it would pin every other local app to https).
import type { RequestHandler } from "express";
import helmet from "helmet";

export function securityHeaders(issuer: string): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: issuer.startsWith("https:") ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  });
}
