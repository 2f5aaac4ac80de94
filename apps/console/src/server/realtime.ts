// socket.io between the console server and the operator's browser: provider status for everyone, flow
// changes for the operator who owns the flow (room per operator, identified by the operator cookie).
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ConsoleBrowserToServerEvents, ConsoleServerToBrowserEvents, FlowChange, FlowView, ProviderStatus } from "../shared/flow-view";
import { operatorFromCookie } from "./operator";

export interface BrowserRealtime {
  emitChange(operatorId: string, change: FlowChange): void;
  broadcastStatus(status: ProviderStatus): void;
  close(): Promise<void>;
}

export interface BrowserRealtimeDeps {
  status(): ProviderStatus;
  view(operatorId: string, id: string): FlowView | null;
}

const operatorRoom = (id: string) => `operator:${id}`;

/** No Origin (not a browser) or the console's own origin. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function attachBrowserRealtime(server: HttpServer, deps: BrowserRealtimeDeps): BrowserRealtime {
  const io = new Server<ConsoleBrowserToServerEvents, ConsoleServerToBrowserEvents, Record<string, never>, { operatorId: string }>(server, {
    serveClient: false,
    // Same origin only: the console's pages are served by this very server. Browsers do not apply CORS
    // to WebSockets, so the Origin is checked here (a page elsewhere must not read an operator's flows).
    allowRequest: (req, callback) => callback(null, sameOrigin(req.headers.origin, req.headers.host)),
    // Leave other upgrade requests (Next's dev HMR socket) to their own handler.
    destroyUpgrade: false,
  });

  io.use((socket, next) => {
    const operatorId = operatorFromCookie(socket.handshake.headers.cookie);
    if (!operatorId) return next(new Error("no operator session: reload the page"));
    socket.data.operatorId = operatorId;
    void socket.join(operatorRoom(operatorId));
    next();
  });

  io.on("connection", (socket) => {
    socket.emit("provider:status", deps.status());
    socket.on("flow:get", (id, ack) => {
      if (typeof ack !== "function") return;
      ack(typeof id === "string" ? deps.view(socket.data.operatorId, id) : null);
    });
  });

  return {
    emitChange(operatorId, change) {
      io.to(operatorRoom(operatorId)).emit("flow:changed", change);
    },
    broadcastStatus(status) {
      io.emit("provider:status", status);
    },
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
