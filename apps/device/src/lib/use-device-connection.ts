// The live connection to the provider's /device namespace. Every payload is validated with the shared
// schemas before it reaches the screen; the connection reconnects by itself (transport drops, provider
// restarts) and reports whether it is live, and tells the caller when the provider rejects the session.
"use client";

import {
  DEVICE_NAMESPACE,
  type DeviceClientToServerEvents,
  type DeviceRequest,
  type DeviceServerToClientEvents,
  type RequestEnded,
  deviceRequestSchema,
  requestEndedSchema,
} from "@ciba/protocol";
import { useEffect, useEffectEvent, useState } from "react";
import { io, type Socket } from "socket.io-client";

/** `connecting`: first attempt in flight; `live`: connected; `reconnecting`: lost or refused, retrying. */
export type ConnectionStatus = "connecting" | "live" | "reconnecting";

export interface DeviceConnectionHandlers {
  onCreated(request: DeviceRequest): void;
  onEnded(ended: RequestEnded): void;
  /** Connected (first time or again): the moment to reload what may have been missed. */
  onConnected(): void;
  /** The provider refused the device token: the session has expired or was revoked. */
  onRejected(): void;
}

/** How long to wait before retrying after the provider refused the connection for a reason of its own. */
const RETRY_AFTER_REFUSAL_MS = 3000;

export function useDeviceConnection(providerUrl: string, deviceToken: string, handlers: DeviceConnectionHandlers): ConnectionStatus {
  const [status, setStatus] = useState<ConnectionStatus>("connecting");
  const created = useEffectEvent((payload: unknown) => {
    const parsed = deviceRequestSchema.safeParse(payload);
    if (parsed.success) handlers.onCreated(parsed.data);
  });
  const ended = useEffectEvent((payload: unknown) => {
    const parsed = requestEndedSchema.safeParse(payload);
    if (parsed.success) handlers.onEnded(parsed.data);
  });
  const connected = useEffectEvent(() => handlers.onConnected());
  const rejected = useEffectEvent(() => handlers.onRejected());

  useEffect(() => {
    const socket: Socket<DeviceServerToClientEvents, DeviceClientToServerEvents> = io(`${providerUrl}${DEVICE_NAMESPACE}`, {
      auth: { device_token: deviceToken },
      // WebSocket first (no CORS preflights, one connection); long-polling only if it cannot open.
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.3,
    });
    let retry: ReturnType<typeof setTimeout> | undefined;

    socket.on("connect", () => {
      setStatus("live");
      connected();
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      setStatus("reconnecting");
      // The server closed this socket on purpose: socket.io does not retry that by itself.
      if (reason === "io server disconnect") retry = setTimeout(() => socket.connect(), RETRY_AFTER_REFUSAL_MS);
    });
    socket.on("connect_error", (error) => {
      setStatus("reconnecting");
      if (socket.active) return; // a transport failure: socket.io keeps retrying on its own
      // Refused by the provider's middleware: an unknown token means the session is over.
      if (error.message.startsWith("invalid_token")) return rejected();
      retry = setTimeout(() => socket.connect(), RETRY_AFTER_REFUSAL_MS);
    });
    socket.on("request:created", (payload: unknown) => created(payload));
    socket.on("request:ended", (payload: unknown) => ended(payload));

    return () => {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [providerUrl, deviceToken]);

  return status;
}
