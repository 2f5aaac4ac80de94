// The console's link to the provider: discovery (retried every few seconds while the provider is
// down), the /monitor subscriptions, and a status the operator's screen shows ("provider down,
// reconnecting…"). Flows ask it for the current connection; nothing caches a dead one.
import type { DeliveryMode, ProtocolEvent } from "@ciba/protocol";
import type { Logger } from "../server/log";
import type { ProviderStatus } from "../shared/flow-view";
import type { RpClients } from "./clients";
import { discoverProvider, type ProviderConnection } from "./discovery";
import { describeFetchError } from "./recorder";
import { startMonitor } from "./monitor";

export interface ProviderLinkOptions {
  providerUrl: string;
  clients: RpClients;
  log: Logger;
  onStatus: (status: ProviderStatus) => void;
  onEvent: (mode: DeliveryMode, event: ProtocolEvent) => void;
  wantsReplay: (mode: DeliveryMode) => boolean;
  retryMs?: number;
}

export interface ProviderLink {
  status(): ProviderStatus;
  /** The current connection, discovering first if there is none; null while the provider is down. */
  connection(): Promise<ProviderConnection | null>;
  /** Forgets the connection and discovers again now (after a transport failure, or on the operator's request). */
  refresh(): Promise<ProviderConnection | null>;
  /** Records what a flow learned about the provider (e.g. that it honours long polling). */
  learned(features: { longPolling: boolean }): void;
  close(): void;
}

export function createProviderLink(options: ProviderLinkOptions): ProviderLink {
  const { providerUrl, clients, log } = options;
  const retryMs = options.retryMs ?? 3000;
  let current: ProviderConnection | null = null;
  let discovering: Promise<ProviderConnection | null> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let closed = false;
  const monitorState: Record<string, boolean> = { poll: false, ping: false, push: false };
  let status: ProviderStatus = {
    state: "connecting",
    provider_url: providerUrl,
    issuer: null,
    error: null,
    checked_at: new Date().toISOString(),
    modes: [],
    monitor: { ...monitorState },
    long_polling: null,
    cancel: false,
  };

  const publish = (fields: Partial<ProviderStatus>) => {
    const next = { ...status, ...fields, monitor: { ...monitorState }, checked_at: new Date().toISOString() };
    const changed = JSON.stringify({ ...next, checked_at: "" }) !== JSON.stringify({ ...status, checked_at: "" });
    status = next;
    if (changed) options.onStatus(status);
  };

  const scheduleRetry = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void refresh();
    }, retryMs);
    retryTimer.unref();
  };

  const discover = async (): Promise<ProviderConnection | null> => {
    try {
      const connection = await discoverProvider(providerUrl, clients);
      const wasDown = status.state !== "up";
      current = connection;
      publish({
        state: "up",
        issuer: connection.issuer,
        error: null,
        modes: connection.features.modes,
        long_polling: status.long_polling,
        cancel: connection.features.cancelEndpoint !== null,
      });
      if (wasDown) log.info("provider discovered", { issuer: connection.issuer, modes: connection.features.modes.join(",") });
      return connection;
    } catch (error) {
      current = null;
      const message = describeFetchError(error);
      if (status.state !== "down" || status.error !== message) log.warn("provider unreachable", { url: providerUrl, error: message });
      publish({ state: "down", error: message });
      scheduleRetry();
      return null;
    } finally {
      discovering = null;
    }
  };

  const refresh = () => (discovering ??= discover());

  const monitor = startMonitor(
    providerUrl,
    clients,
    {
      onEvent: options.onEvent,
      wantsReplay: options.wantsReplay,
      onConnectionChange(mode, connected, error) {
        if (monitorState[mode] === connected) return;
        monitorState[mode] = connected;
        if (!connected && error) log.debug("monitor disconnected", { mode, error });
        publish({});
        // A dropped monitor often means the provider went away (or came back): check now.
        void refresh();
      },
    },
    log,
  );

  void refresh();

  return {
    status: () => status,
    connection: async () => current ?? (await refresh()),
    refresh,
    learned({ longPolling }) {
      if (current) current.features.longPolling = longPolling;
      publish({ long_polling: longPolling });
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      monitor.close();
    },
  };
}
