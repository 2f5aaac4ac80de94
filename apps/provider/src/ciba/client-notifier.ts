// How a completed request reaches a client that does not poll. Poll clients need nothing: the token
// endpoint answers their next poll. Ping and push delivery plug in here.
import type { AuthRequestWithClient } from "@ciba/db";

export interface ClientNotifier {
  /** Called once per request, after its final state is persisted. */
  requestCompleted(request: AuthRequestWithClient): Promise<void>;
  close(): Promise<void>;
}
