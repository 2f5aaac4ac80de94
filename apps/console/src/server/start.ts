// Starts the console's server: the Relying Party (provider link, flow engine, history), its HTTP API
// and notification endpoints, socket.io for the operator's browser, and — when given — Next.js for the
// pages. server.ts passes Next; the integration tests start the same server without it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import express from "express";
import type { Env } from "../env";
import { createFlowEngine, type FlowEngine } from "../flows/engine";
import { openHistoryStore } from "../flows/store";
import { clientsFromEnv } from "../rp/clients";
import { createProviderLink, type ProviderLink } from "../rp/provider-link";
import { apiRouter } from "./api";
import type { Logger } from "./log";
import { ensureOperator } from "./operator";
import { attachBrowserRealtime } from "./realtime";

export interface StartConsoleOptions {
  env: Env;
  log: Logger;
  /** Port to listen on (0: any free port); defaults to CONSOLE_PORT. */
  port?: number;
  /** Next.js request and upgrade handlers for everything outside /api. */
  pages?: {
    handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void;
    upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> | void;
  };
  /** Timing knobs for tests. */
  engine?: { pingFallbackMs?: number; expiryGraceMs?: number };
  providerRetryMs?: number;
}

export interface RunningConsole {
  server: Server;
  port: number;
  url: string;
  engine: FlowEngine;
  link: ProviderLink;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const { env, log } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const server = createServer(app);
  const port = await listen(server, options.port ?? env.CONSOLE_PORT, env.HOST);
  const url = (env.CONSOLE_URL ?? `http://localhost:${port}`).replace(/\/$/, "");
  const secureCookies = url.startsWith("https:");

  const store = await openHistoryStore(env.CONSOLE_DATA_DIR);
  const clients = clientsFromEnv(env);
  // The link and the engine call each other; neither calls the other before both exist.
  const link = createProviderLink({
    providerUrl: env.PROVIDER_URL,
    clients,
    log,
    retryMs: options.providerRetryMs,
    onStatus: (status) => browsers.broadcastStatus(status),
    onEvent: (mode, event) => engine.onProviderEvent(mode, event),
    wantsReplay: (mode) => engine.wantsReplay(mode),
  });
  const engine: FlowEngine = createFlowEngine({
    link,
    clients,
    store,
    log,
    longPollSeconds: env.CONSOLE_LONG_POLL_SECONDS,
    onChange: (operatorId, change) => browsers.emitChange(operatorId, change),
    ...options.engine,
  });
  const browsers = attachBrowserRealtime(server, { status: () => link.status(), view: (operatorId, id) => engine.view(operatorId, id) });

  app.use((req, res, next) => {
    // The provider calling a notification endpoint is not an operator: no cookie for it.
    if (!req.path.startsWith("/api/ciba/")) ensureOperator(req, res, secureCookies);
    next();
  });
  app.use("/api", apiRouter({ engine, link, publicUrl: url, log }));
  const pages = options.pages;
  if (pages) {
    app.use((req, res) => void pages.handle(req, res));
    if (pages.upgrade) {
      server.on("upgrade", (req, socket, head) => {
        if (req.url?.startsWith("/socket.io/")) return;
        void pages.upgrade!(req, socket, head);
      });
    }
  } else {
    app.use((_req, res) => void res.status(404).json({ error: "not_found", error_description: "pages are not served by this instance" }));
  }

  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    url,
    engine,
    link,
    close() {
      closing ??= (async () => {
        link.close();
        await engine.close();
        // Closing socket.io closes the HTTP server too, after in-flight requests.
        await browsers.close();
        server.closeAllConnections();
      })();
      return closing;
    },
  };
}
