// Whether new requests chime, remembered for the browser (localStorage) rather than per tab: it is a
// property of the room the demo runs in, not of the customer.
"use client";

import { useEffect, useState } from "react";

const KEY = "ciba-device:sound";

export function useSoundPreference(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(true);
  useEffect(() => {
    try {
      setOn(window.localStorage.getItem(KEY) !== "off");
    } catch {
      // Storage disabled: keep the default.
    }
  }, []);
  const set = (next: boolean) => {
    setOn(next);
    try {
      window.localStorage.setItem(KEY, next ? "on" : "off");
    } catch {
      // Storage disabled: the choice lasts for this page only.
    }
  };
  return [on, set];
}
