// The bar at the top of the signed-in app: who is signed in, the live-connection indicator, the sound
// switch and sign-out.
"use client";

import { LogOut, Volume2, VolumeX } from "lucide-react";
import { initials } from "../lib/plain-words";
import type { ConnectionStatus } from "../lib/use-device-connection";
import styles from "./home.module.css";
import ui from "./ui.module.css";

const connectionLabels: Record<ConnectionStatus, string> = {
  connecting: "Connecting",
  live: "Live",
  reconnecting: "Offline",
};

interface Props {
  name: string;
  connection: ConnectionStatus;
  soundOn: boolean;
  onSoundChange: (on: boolean) => void;
  onSignOut: () => void;
}

export function AppHeader({ name, connection, soundOn, onSoundChange, onSignOut }: Props) {
  return (
    <div className={styles.header}>
      <div className={styles.identity}>
        <span className={styles.avatar} aria-hidden="true">
          {initials(name)}
        </span>
        <div className={styles.identityText}>
          <p className={styles.bankName}>Acme Bank</p>
          <h1 className={styles.userName}>{name}</h1>
        </div>
      </div>
      <div className={styles.headerActions}>
        <p className={styles.connection} data-status={connection} title="Live connection to the bank">
          <span className={styles.connectionDot} aria-hidden="true" />
          <span className="sr-only">Connection: </span>
          {connectionLabels[connection]}
        </p>
        <button
          type="button"
          className={ui.iconButton}
          aria-pressed={soundOn}
          aria-label="Sound"
          title={soundOn ? "Sound on: new requests chime" : "Sound off"}
          onClick={() => onSoundChange(!soundOn)}
        >
          {soundOn ? <Volume2 size={20} aria-hidden="true" /> : <VolumeX size={20} aria-hidden="true" />}
        </button>
        <button type="button" className={ui.iconButton} aria-label="Sign out" title="Sign out" onClick={onSignOut}>
          <LogOut size={20} aria-hidden="true" />
        </button>
      </div>
    </div>
  );
}
