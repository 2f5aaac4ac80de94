// POST /device/login: the user signs in on an Authentication Device with a login hint and their PIN.
import { randomToken, hashToken } from "@ciba/db";
import { type DeviceLoginResponse, deviceLoginRequestSchema } from "@ciba/protocol";
import type { RequestHandler } from "express";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";
import { checkPin } from "./pin";

export function deviceLoginEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const { login_hint, pin } = deviceLoginRequestSchema.parse(req.body);
    const user = await deps.policy.resolveLoginHint(login_hint);
    if (!user) throw new OAuthError("invalid_credentials", "no user matches this login hint");
    await checkPin(deps, user, pin);

    const deviceToken = randomToken(32);
    const now = deps.clock.now();
    await deps.repos.deviceSessions.create({
      id: randomToken(12),
      tokenHash: hashToken(deviceToken),
      userId: user.id,
      expiresAt: new Date(now.getTime() + deps.config.device.sessionSeconds * 1000),
    });
    const body: DeviceLoginResponse = { device_token: deviceToken, user: { sub: user.id, name: user.name } };
    res.set("Cache-Control", "no-store");
    res.json(body);
  };
}

export function deviceLogoutEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    await deps.repos.deviceSessions.revoke(req.device!.sessionId, deps.clock.now());
    // A signed-out phone must stop hearing about the user's requests at once, not at its next reconnect.
    deps.realtime.disconnectDeviceSession(req.device!.sessionId);
    res.status(204).end();
  };
}
