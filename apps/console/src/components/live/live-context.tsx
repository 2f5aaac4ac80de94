"use client";
// One socket.io connection per browser tab to the console server: the provider's status for the
// header, and live changes to this operator's flows for whichever screen shows them.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  type ConsoleBrowserToServerEvents,
  type ConsoleServerToBrowserEvents,
  type FlowChange,
  flowChangeSchema,
  type FlowView,
  type ProviderStatus,
  providerStatusSchema,
} from "@/shared/flow-view";

type ConsoleSocket = Socket<ConsoleServerToBrowserEvents, ConsoleBrowserToServerEvents>;

interface Live {
  /** null until the first status arrives. */
  status: ProviderStatus | null;
  /** The console server itself is reachable (the socket is connected). */
  connected: boolean;
  subscribe(listener: (change: FlowChange) => void): () => void;
  /** Called after every (re)connect, so screens can refetch what they show. */
  onReconnect(listener: () => void): () => void;
  getFlow(id: string): Promise<FlowView | null>;
}

const LiveContext = createContext<Live | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<ProviderStatus | null>(null);
  const [connected, setConnected] = useState(false);
  const socketRef = useRef<ConsoleSocket | null>(null);
  const listeners = useRef(new Set<(change: FlowChange) => void>());
  const reconnectListeners = useRef(new Set<() => void>());

  useEffect(() => {
    const socket: ConsoleSocket = io({ transports: ["websocket", "polling"] });
    socketRef.current = socket;
    socket.on("connect", () => {
      setConnected(true);
      for (const listener of reconnectListeners.current) listener();
    });
    socket.on("disconnect", () => setConnected(false));
    socket.on("connect_error", () => setConnected(false));
    socket.on("provider:status", (raw) => {
      const parsed = providerStatusSchema.safeParse(raw);
      if (parsed.success) setStatus(parsed.data);
    });
    socket.on("flow:changed", (raw) => {
      const parsed = flowChangeSchema.safeParse(raw);
      if (!parsed.success) return;
      for (const listener of listeners.current) listener(parsed.data);
    });
    return () => {
      socket.disconnect();
      socketRef.current = null;
    };
  }, []);

  const subscribe = useCallback((listener: (change: FlowChange) => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const onReconnect = useCallback((listener: () => void) => {
    reconnectListeners.current.add(listener);
    return () => void reconnectListeners.current.delete(listener);
  }, []);

  const getFlow = useCallback(async (id: string) => {
    const response = await fetch(`/api/flows/${encodeURIComponent(id)}`, { cache: "no-store" });
    if (!response.ok) return null;
    return (await response.json()) as FlowView;
  }, []);

  const value = useMemo(() => ({ status, connected, subscribe, onReconnect, getFlow }), [status, connected, subscribe, onReconnect, getFlow]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new TypeError("useLive must be used inside <LiveProvider>");
  return live;
}
