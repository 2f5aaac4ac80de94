// How a completed request reaches a client that does not poll. Poll clients need nothing: the token
// endpoint answers their next poll. Ping and push delivery plug in here.
import type { AuthRequestWithClient } from "@ciba/db";

export interface ClientNotifier {
  /** Called once per request, after its final state is persisted. */
  requestCompleted(request: AuthRequestWithClient): Promise<void>;
  /** Called once the provider is ready: resumes deliveries a previous run left pending or retrying. */
  start(): Promise<void>;
  /** Stops background work; deliveries still owed stay in the database for the next instance. */
  close(): Promise<void>;
}
