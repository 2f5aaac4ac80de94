// PIN checks for the Authentication Device API, throttled per user: after too many wrong PINs in a row
// the PIN is locked for a while (persisted on the user, so restarts and other instances agree).
import { type User, verifyPin } from "@ciba/db";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";

export async function checkPin(deps: ProviderDeps, user: User, pin: string): Promise<void> {
  const now = deps.clock.now();
  if (user.pinLockedUntil && user.pinLockedUntil > now) {
    const seconds = Math.ceil((user.pinLockedUntil.getTime() - now.getTime()) / 1000);
    throw new OAuthError("too_many_requests", `too many wrong PINs; try again in ${seconds} seconds`, {
      headers: { "Retry-After": String(seconds) },
    });
  }
  if (await verifyPin(pin, user.pinHash)) {
    await deps.repos.users.resetPinFailures(user.id);
    return;
  }
  const { pinAttempts, pinLockSeconds } = deps.config.device;
  const updated = await deps.repos.users.recordPinFailure(user.id, pinAttempts, new Date(now.getTime() + pinLockSeconds * 1000));
  const left = Math.max(0, pinAttempts - updated.failedPinAttempts);
  throw new OAuthError(
    "invalid_credentials",
    left > 0 ? `wrong PIN; ${left} attempt${left === 1 ? "" : "s"} left` : `wrong PIN; the PIN is locked for ${pinLockSeconds} seconds`,
  );
}
