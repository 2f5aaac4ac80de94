// Starts a provider: migrate and seed the database, connect to Redis when several instances share it,
// load the signing keys, listen, attach socket.io, start the expiry sweeper and resume ping/push
// deliveries. server.ts calls it with the process environment; tests call it with a fresh database
// and port 0.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDatabase, createRepositories, type Database, migrate, seedDemoData, tokenMatchesHash } from "@ciba/db";
import { createAdapter } from "@socket.io/redis-adapter";
import { createApp } from "./app";
import type { ClientNotifier } from "./ciba/client-notifier";
import { startExpirySweeper } from "./ciba/expiry-sweeper";
import { loadSecretBox } from "./client-auth/secret-box";
import { defaultCibaPolicy } from "./ciba/policy";
import { relayClientChanges } from "./cluster/client-changes";
import { createRedisCompletionSignal } from "./cluster/completion-signal";
import { connectRedis } from "./cluster/redis";
import { type Clock, systemClock } from "./clock";
import { configFromEnv, endpointsOf, type ProviderConfig } from "./config";
import type { ProviderDeps } from "./deps";
import { deviceCallerFor } from "./endpoints/device/session";
import { createCompletionSignal } from "./delivery/completion-signal";
import { systemResolver, type Resolver } from "./delivery/endpoint-safety";
import { createDeliveryNotifier } from "./delivery/notifier";
import type { Env } from "./env";
import { createEventLog } from "./events/event-log";
import { clientAddressOf } from "./http/client-address";
import { createRateLimits } from "./http/rate-limit";
import { createLogger, type Logger } from "./log";
import { attachRealtime } from "./realtime/socket-server";
import { loadKeystore } from "./tokens/keystore";

export interface StartOptions {
  env: Env;
  clock?: Clock;
  log?: Logger;
  /** Replaces how completed requests reach ping and push clients. */
  notifier?: (deps: Omit<ProviderDeps, "notifier">) => ClientNotifier;
  /** Replaces DNS for the SSRF checks of client URLs; tests inject answers. */
  resolve?: Resolver;
}

export interface RunningProvider {
  config: ProviderConfig;
  deps: ProviderDeps;
  server: Server;
  port: number;
  /** Ends requests due to expire now (the sweeper does this every second on its own). */
  sweepExpired(): Promise<number>;
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

/**
 * Seeds the demo data. Seeding is idempotent, but instances starting together on an empty PostgreSQL
 * database would insert the same rows at the same moment: a transaction-scoped advisory lock makes them
 * seed one after the other. (Several instances are a PostgreSQL deployment; SQLite seeds as before.)
 */
async function seedOnce(db: Database, consoleUrl: string): Promise<void> {
  if (db.dialect !== "postgresql") {
    await seedDemoData(createRepositories(db), { consoleUrl });
    return;
  }
  await db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('ciba-demo-seed:' || current_schema()))");
      // The Prisma-backed writes of the seed (users, clients) join this transaction, under the lock.
      await seedDemoData(createRepositories({ prisma: tx, sql: db.sql }), { consoleUrl });
    },
    { maxWait: 30_000, timeout: 60_000 },
  );
}

export async function startProvider(options: StartOptions): Promise<RunningProvider> {
  const { env } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(env.LOG_LEVEL);

  const db = createDatabase(env.DATABASE_URL);
  const { applied } = await migrate(db);
  if (applied.length) log.info("database migrated", { dialect: db.dialect, applied: applied.join(",") });
  // With REDIS_URL, Redis must answer before this instance takes any traffic.
  const redis = env.REDIS_URL
    ? await connectRedis(env.REDIS_URL, log).catch(async (error: unknown) => {
        await db.close();
        throw error;
      })
    : null;
  if (redis && db.dialect === "sqlite") {
    log.warn("REDIS_URL is set with a SQLite database: run several instances on PostgreSQL (SQLite serializes writers across processes)");
  }

  // Listen first (port 0 picks a free port, and the default issuer names it); answer 503 until ready.
  let app: ReturnType<typeof createApp> | null = null;
  const server = createServer((req, res) => {
    if (app) return void app(req, res);
    res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "1" });
    res.end(JSON.stringify({ error: "temporarily_unavailable", error_description: "the provider is starting" }));
  });
  const port = await listen(server, env.PORT ?? env.PROVIDER_PORT, env.HOST);
  const config = configFromEnv(env, port);
  const repos = createRepositories(db);

  try {
    if (config.seedDemoData) await seedOnce(db, config.consoleUrl);
    const keystore = await loadKeystore(repos, config.signingAlgs);

    const channel = (name: string) => `${env.REDIS_PREFIX}:${name}`;
    if (redis) await relayClientChanges(redis, repos.clients, channel("clients"), log);
    const rateLimits = createRateLimits(config, redis?.limiter ?? null);
    // socket.io handshakes never reach Express: they are counted against the same per-address limit here.
    const addressOf = clientAddressOf(config.trustProxy);
    const admit = async (req: IncomingMessage) => {
      const wait = await rateLimits.consumeAddress(addressOf(req));
      return wait === null ? null : `too_many_requests: retry after ${wait} seconds`;
    };
    const realtime = attachRealtime(
      server,
      config.corsOrigins,
      {
        device: async (token) => deviceCallerFor(deps, token),
        monitor: async (clientId, secret) => {
          const client = await repos.clients.findById(clientId);
          return client?.secretHash && tokenMatchesHash(secret, client.secretHash) ? client.clientId : null;
        },
        replay: (clientId, afterSeq) => deps.events.since(clientId, afterSeq),
      },
      log,
      // Several instances: a device connected here hears about requests created on any of them.
      redis
        ? {
            admit,
            adapter: createAdapter(redis.publisher, redis.adapterSubscriber, { key: channel("socket.io"), requestsTimeout: 2000 }),
            clusterReachable: () => redis.publisher.status === "ready",
          }
        : { admit },
    );
    const events = createEventLog(repos, clock, (clientId, event) => realtime.emitToClient(clientId, event));
    const base = {
      config,
      endpoints: endpointsOf(config.issuer),
      db,
      repos,
      keystore,
      clock,
      log,
      events,
      realtime,
      policy: defaultCibaPolicy(repos, realtime),
      secretBox: loadSecretBox(env.CLIENT_SECRET_ENCRYPTION_KEY, config.profile),
      completions: redis ? await createRedisCompletionSignal(redis, channel("long-poll"), log) : createCompletionSignal(),
      rateLimits,
      resolve: options.resolve ?? systemResolver,
    };
    const notifier = options.notifier?.(base) ?? createDeliveryNotifier(base);
    // The realtime callbacks above read deps: they first run once a device connects, after this line.
    const deps: ProviderDeps = { ...base, notifier };
    app = createApp(deps);

    const sweeper = startExpirySweeper(deps);
    await sweeper.sweep();
    // Deliveries left pending or retrying by a previous run (even a killed one) go out now.
    await notifier.start();

    let closing: Promise<void> | null = null;
    return {
      config,
      deps,
      server,
      port,
      sweepExpired: () => sweeper.sweep(),
      close() {
        closing ??= (async () => {
          sweeper.stop();
          // Held long-poll token requests answer now, so the server can drain.
          deps.completions.close();
          await notifier.close();
          // Closing socket.io closes the HTTP server, which lets in-flight requests finish first.
          await realtime.close();
          server.closeIdleConnections();
          await redis?.close();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    server.close();
    await redis?.close();
    await db.close();
    throw error;
  }
}
