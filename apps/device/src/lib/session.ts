// The signed-in user of this browser tab. sessionStorage is per tab and survives a reload, so several
// users can be signed in at once in different tabs, each with its own device token.
import { deviceLoginResponseSchema, type DeviceLoginResponse } from "@ciba/protocol";

const KEY = "ciba-device:session";

export type DeviceSession = DeviceLoginResponse;

export function readSession(): DeviceSession | null {
  try {
    const stored = window.sessionStorage.getItem(KEY);
    if (!stored) return null;
    const parsed = deviceLoginResponseSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    // Storage disabled or a corrupted entry: behave as signed out.
    return null;
  }
}

export function saveSession(session: DeviceSession): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage disabled: the session lasts until the page is reloaded.
  }
}

export function clearSession(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
