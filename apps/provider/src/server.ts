// The provider's entry point: `npm start` runs this. Reads the environment once, starts the provider
// and shuts it down cleanly on SIGINT/SIGTERM (in-flight requests finish, nothing pending is lost:
// every request's state is in the database).
import { DEMO_CLIENT_SECRET, DEMO_PIN, demoUsers } from "@ciba/db";
import { readEnv } from "./env";
import { createLogger } from "./log";
import { startProvider } from "./start";

const env = readEnv();
const log = createLogger(env.LOG_LEVEL);

try {
  const provider = await startProvider({ env, log });
  const { config } = provider;
  log.info(`CIBA OpenID Provider ready at ${config.issuer}`, {
    database: provider.deps.db.dialect,
    profile: config.profile,
    // Behind a load balancer the issuer names the balancer: say where this instance listens.
    port: provider.port,
    redis: config.redis ? "shared" : "off",
  });
  if (config.seedDemoData && env.LOG_LEVEL !== "silent") {
    const lines = [
      "",
      `  Discovery   ${provider.deps.endpoints.discovery}`,
      `  Clients     demo-poll, demo-ping, demo-push (client_secret_basic, secret "${DEMO_CLIENT_SECRET}")`,
      `  Users       ${demoUsers.map((u) => u.email).join(", ")} (PIN ${DEMO_PIN})`,
      "",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: draining and shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    provider.close().then(
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
    const port = env.PORT ?? env.PROVIDER_PORT;
    log.error(`the provider could not start: port ${port} is already in use (is another npm start still running?); stop that process or set PROVIDER_PORT`);
  } else {
    log.error("the provider could not start", { error: error as Error });
  }
  process.exit(1);
}
