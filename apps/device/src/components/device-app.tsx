// The simulator: one phone per browser tab. Chooses between the sign-in screen and the signed-in home
// screen, keeps the tab's session in sessionStorage, and turns an expired session back into sign-in
// with a message.
"use client";

import { useEffect, useMemo, useState } from "react";
import { unlockAudio } from "../lib/chime";
import { createDeviceApi } from "../lib/device-api";
import { clearSession, type DeviceSession, readSession, saveSession } from "../lib/session";
import { Home } from "./home";
import { PhoneFrame } from "./phone-frame";
import { SignIn, type SignInNotice } from "./sign-in";
import { Splash } from "./splash";

export function DeviceApp({ providerUrl }: { providerUrl: string }) {
  const api = useMemo(() => createDeviceApi(providerUrl), [providerUrl]);
  // undefined until the tab's storage has been read (it does not exist on the server).
  const [session, setSession] = useState<DeviceSession | null | undefined>(undefined);
  const [notice, setNotice] = useState<SignInNotice | null>(null);

  useEffect(() => {
    setSession(readSession());
    // Browsers allow sound only after a gesture; the first click or key press unlocks the chime.
    const unlock = () => unlockAudio();
    window.addEventListener("pointerdown", unlock);
    window.addEventListener("keydown", unlock);
    return () => {
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
    };
  }, []);

  const signedIn = (next: DeviceSession) => {
    saveSession(next);
    setNotice(null);
    setSession(next);
  };

  const signOut = () => {
    if (session) void api.logout(session.device_token).catch(() => undefined);
    clearSession();
    setNotice({ tone: "info", text: "You've signed out. See you soon." });
    setSession(null);
  };

  const sessionExpired = () => {
    clearSession();
    setNotice({ tone: "warning", text: "Your session has expired. Please sign in again." });
    setSession(null);
  };

  return (
    <PhoneFrame>
      {/* React hoists this into <head>: each tab is named after its customer, to tell phones apart. */}
      <title>{session ? `${session.user.name} · Acme Bank` : "Acme Bank · Authentication Device"}</title>
      {session === undefined ? (
        <Splash />
      ) : session ? (
        <Home key={session.device_token} api={api} session={session} onSignOut={signOut} onSessionExpired={sessionExpired} />
      ) : (
        <SignIn api={api} notice={notice} onSignedIn={signedIn} />
      )}
    </PhoneFrame>
  );
}
