// The signed-in home screen: who is signed in, whether the live connection is up, the requests waiting
// for a decision (arriving live, with a chime and a banner) and the activity history.
"use client";

import type { DeviceHistoryEntry, DeviceRequest, RequestEnded } from "@ciba/protocol";
import { useEffect, useReducer, useState } from "react";
import { playChime } from "../lib/chime";
import { DeviceApiError, type DeviceApi } from "../lib/device-api";
import { firstName, greeting } from "../lib/plain-words";
import { type Decision, initialRequestsState, pendingCount, requestsReducer } from "../lib/requests-state";
import type { DeviceSession } from "../lib/session";
import { useDeviceConnection } from "../lib/use-device-connection";
import { useNow } from "../lib/use-now";
import { useSoundPreference } from "../lib/use-sound-preference";
import { ActivityList, type HistoryState } from "./activity-list";
import { AppHeader } from "./app-header";
import { ConnectionBanner } from "./connection-banner";
import styles from "./home.module.css";
import { IncomingBanner } from "./incoming-banner";
import { RequestList } from "./request-list";
import type { DecisionResult } from "./request-card";
import { Tabs } from "./tabs";

interface Props {
  api: DeviceApi;
  session: DeviceSession;
  onSignOut: () => void;
  onSessionExpired: () => void;
}

type Tab = "requests" | "activity";

/** How long the "new request" banner stays before sliding away. */
const INCOMING_BANNER_MS = 5000;

function endedAnnouncement(ended: RequestEnded, clientName: string): string {
  switch (ended.status) {
    case "approved":
      return `The request from ${clientName} was approved.`;
    case "denied":
      return `The request from ${clientName} was declined.`;
    case "cancelled":
      return `${clientName} cancelled its request.`;
    case "expired":
      return `The request from ${clientName} expired.`;
  }
}

export function Home({ api, session, onSignOut, onSessionExpired }: Props) {
  const token = session.device_token;
  const [state, dispatch] = useReducer(requestsReducer, initialRequestsState);
  const [tab, setTab] = useState<Tab>("requests");
  const [history, setHistory] = useState<HistoryState>({ status: "loading" });
  const [incoming, setIncoming] = useState<DeviceRequest | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [soundOn, setSoundOn] = useSoundPreference();
  const now = useNow();

  /** Any call answered "invalid_token" means the device session is over. */
  const failed = (error: unknown) => {
    if (error instanceof DeviceApiError && error.sessionExpired) onSessionExpired();
  };

  const refreshHistory = async () => {
    try {
      const entries: DeviceHistoryEntry[] = await api.history(token);
      setHistory({ status: "ready", entries });
      dispatch({ type: "resolved", history: entries });
    } catch (error) {
      failed(error);
      setHistory((current) => (current.status === "ready" ? current : { status: "failed" }));
    }
  };

  const reloadPending = async () => {
    try {
      dispatch({ type: "loaded", requests: await api.pending(token), now: Date.now() });
      await refreshHistory();
    } catch (error) {
      failed(error);
    }
  };

  const connection = useDeviceConnection(api.providerUrl, token, {
    onCreated(request) {
      dispatch({ type: "created", request });
      setTab("requests");
      setIncoming(request);
      setAnnouncement(
        `New request from ${request.client_name}${request.binding_message ? `. Code ${request.binding_message}` : ""}.`,
      );
      if (soundOn) playChime();
    },
    onEnded(ended) {
      const card = state.cards.find((c) => c.request.id === ended.id);
      dispatch({ type: "ended", ended });
      if (incoming?.id === ended.id) setIncoming(null);
      if (card && !card.outcome && !card.deciding) setAnnouncement(endedAnnouncement(ended, card.request.client_name));
      void refreshHistory();
    },
    onConnected() {
      // First connection, or back after a drop: whatever happened meanwhile is in the pending list.
      void reloadPending();
    },
    onRejected: onSessionExpired,
  });

  useEffect(() => {
    if (!incoming) return;
    const timer = setTimeout(() => setIncoming(null), INCOMING_BANNER_MS);
    return () => clearTimeout(timer);
  }, [incoming]);

  const decide = async (id: string, decision: Decision, pin?: string): Promise<DecisionResult> => {
    dispatch({ type: "deciding", id, decision });
    // The notification has done its job once the customer answers.
    setIncoming(null);
    try {
      if (decision === "approve") await api.approve(token, id, pin);
      else await api.deny(token, id, decision === "report" ? "suspected_fraud" : undefined);
      dispatch({ type: "decided", id, decision });
      void refreshHistory();
      return { ok: true };
    } catch (error) {
      dispatch({ type: "decision-failed", id });
      failed(error);
      if (error instanceof DeviceApiError && error.requestGone) {
        dispatch({ type: "gone", id, now: Date.now() });
        void refreshHistory();
      }
      return { ok: false, error };
    }
  };

  const waiting = pendingCount(state);

  return (
    <div className={styles.home}>
      <div className={styles.top}>
        <AppHeader
          name={session.user.name}
          connection={connection}
          soundOn={soundOn}
          onSoundChange={setSoundOn}
          onSignOut={onSignOut}
        />
        <Tabs<Tab>
          label="Sections"
          selected={tab}
          onSelect={setTab}
          tabs={[
            { id: "requests", label: "Requests", badge: waiting || undefined },
            { id: "activity", label: "Activity" },
          ]}
        />
      </div>
      {connection === "reconnecting" && <ConnectionBanner />}
      <div className={styles.body}>
        <div role="tabpanel" id="panel-requests" aria-labelledby="tab-requests" hidden={tab !== "requests"} className={styles.panel}>
          <RequestList
            greeting={`${now === null ? "Hello" : greeting(new Date(now))}, ${firstName(session.user.name)}`}
            state={state}
            now={now}
            onDecide={decide}
            onExpired={(id) => dispatch({ type: "expired-locally", id })}
            onDismiss={(id) => dispatch({ type: "dismissed", id })}
          />
        </div>
        <div role="tabpanel" id="panel-activity" aria-labelledby="tab-activity" hidden={tab !== "activity"} className={styles.panel}>
          <ActivityList history={history} now={now} onRetry={() => void refreshHistory()} />
        </div>
      </div>
      <IncomingBanner
        request={incoming}
        onOpen={() => {
          setTab("requests");
          setIncoming(null);
        }}
      />
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
