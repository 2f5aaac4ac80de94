// Registered clients are cached by each instance for a few seconds (see @ciba/db's clients repository).
// With several instances, a client registered, updated or deleted on one (RFC 7592: new keys, a new
// notification endpoint, a deleted client) must not keep its old form on the others until the cache
// runs out: each change is published on Redis, and every instance drops its cached copy.
import type { Repositories } from "@ciba/db";
import type { Logger } from "../log";
import type { RedisClients } from "./redis";

export async function relayClientChanges(
  redis: Pick<RedisClients, "publisher" | "subscriber">,
  clients: Repositories["clients"],
  channel: string,
  log: Logger,
): Promise<void> {
  redis.subscriber.on("message", (from: string, clientId: string) => {
    if (from === channel) clients.invalidate(clientId);
  });
  // Changes published while this subscriber was away were missed: forget every cached client.
  redis.subscriber.on("ready", () => clients.invalidate());
  await redis.subscriber.subscribe(channel);
  clients.onChange((clientId) => {
    redis.publisher.publish(channel, clientId).catch((error: unknown) => {
      log.warn("could not publish a client change; other instances see it when their cache runs out", { error: (error as Error).message });
    });
  });
}
