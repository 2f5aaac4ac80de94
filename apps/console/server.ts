// The console's entry point (`npm start`, `npm run dev`): reads the environment once, prepares Next.js
// for the pages and starts the console server (Relying Party, API, socket.io) around it. A custom server
// because the Relying Party is long-lived: it holds provider subscriptions, poll loops and timers that
// route handlers, started per request, could not.
import { fileURLToPath } from "node:url";
import next from "next";
import { readEnv } from "./src/env";
import { createLogger } from "./src/server/log";
import { startConsole } from "./src/server/start";

const env = readEnv();
const log = createLogger(env.LOG_LEVEL);
const dev = env.NODE_ENV !== "production";

try {
  const pages = next({ dev, dir: fileURLToPath(new URL(".", import.meta.url)), hostname: env.HOST ?? "localhost", port: env.CONSOLE_PORT });
  await pages.prepare();
  const running = await startConsole({ env, log, pages: { handle: pages.getRequestHandler(), upgrade: dev ? pages.getUpgradeHandler() : undefined } });
  log.info(`Operator console ready at ${running.url}`, { provider: env.PROVIDER_URL, mode: dev ? "development" : "production" });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    Promise.all([running.close(), pages.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("shutdown failed", { error: error as Error });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    // The usual cause in a demo: an earlier `npm start` still running. Say so, without a stack trace.
    log.error(`the console could not start: port ${env.CONSOLE_PORT} is already in use (is another npm start still running?); stop that process or set CONSOLE_PORT`);
  } else {
    log.error("the console could not start", { error: error as Error });
  }
  process.exit(1);
}
