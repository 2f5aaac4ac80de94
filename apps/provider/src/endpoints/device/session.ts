// Device sessions: a login returns an opaque bearer device token (stored as its SHA-256); every other
// Device API call and the /device socket present it.
import { hashToken } from "@ciba/db";
import type { NextFunction, Request, Response } from "express";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";

export interface DeviceCaller {
  sessionId: string;
  sub: string;
  name: string;
}

declare module "express-serve-static-core" {
  interface Request {
    device?: DeviceCaller;
  }
}

function invalidDeviceToken(description: string) {
  return new OAuthError("invalid_token", description, {
    headers: { "WWW-Authenticate": `Bearer realm="device", error="invalid_token", error_description="${description}"` },
  });
}

/** The signed-in user behind a device token, or null. */
export async function deviceCallerFor(deps: ProviderDeps, token: string): Promise<DeviceCaller | null> {
  const session = await deps.repos.deviceSessions.findActiveByTokenHash(hashToken(token), deps.clock.now());
  return session && { sessionId: session.id, sub: session.user.id, name: session.user.name };
}

export function requireDevice(deps: ProviderDeps) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization?.trim() ?? "");
    if (!match) throw invalidDeviceToken("a device token is required: Authorization: Bearer <device_token>");
    const caller = await deviceCallerFor(deps, match[1]!);
    if (!caller) throw invalidDeviceToken("the device session is unknown or has expired; sign in again");
    req.device = caller;
    next();
  };
}
