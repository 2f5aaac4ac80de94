// The provider's collaborators, built once in start.ts and passed to every endpoint. Tests build the
// same graph through startProvider(), so nothing here is mocked.
import type { Database, Repositories } from "@ciba/db";
import type { ClientNotifier } from "./ciba/client-notifier";
import type { CibaPolicy } from "./ciba/policy";
import type { Clock } from "./clock";
import type { Endpoints, ProviderConfig } from "./config";
import type { CompletionSignal } from "./delivery/completion-signal";
import type { Resolver } from "./delivery/endpoint-safety";
import type { EventLog } from "./events/event-log";
import type { RateLimits } from "./http/rate-limit";
import type { Logger } from "./log";
import type { Realtime } from "./realtime/socket-server";
import type { SecretBox } from "./client-auth/secret-box";
import type { Keystore } from "./tokens/keystore";

export interface ProviderDeps {
  config: ProviderConfig;
  endpoints: Endpoints;
  db: Database;
  repos: Repositories;
  keystore: Keystore;
  clock: Clock;
  log: Logger;
  events: EventLog;
  realtime: Realtime;
  policy: CibaPolicy;
  notifier: ClientNotifier;
  /** Wakes long-polling token requests when their request ends. */
  completions: CompletionSignal;
  /** Encrypts client_secret_jwt secrets; null when client_secret_jwt is not offered. */
  secretBox: SecretBox | null;
  /** Per-address and per-client request limits (shared through Redis when REDIS_URL is set). */
  rateLimits: RateLimits;
  /** How the hosts of client URLs (notification endpoints, jwks_uri) are resolved for the SSRF checks. */
  resolve: Resolver;
}
