// Wakes token requests held by long polling the moment their request ends. completeAuthRequest
// publishes every ended request; a held token request subscribes to its own. This implementation is
// in-process: another instance's endings reach it only through the Redis one (cluster/completion-signal.ts,
// with REDIS_URL), so without Redis a held request also re-reads the database every second, and an
// approval taken by another instance on the same database is seen within that second.

export interface CompletionSubscription {
  /** Resolves "ended" when the request is published as ended, "closed" when the signal shuts down. */
  readonly ended: Promise<"ended" | "closed">;
  /** Stops listening (always call it, e.g. in a finally). */
  cancel(): void;
}

export interface CompletionSignal {
  /** How often a held request re-reads its state anyway, for endings this signal may not hear of. */
  readonly recheckMs: number;
  /** Announces that the request with this id (the device-facing id) has ended. */
  publish(requestId: string): void;
  /** Listens for the end of one request, from now on. */
  subscribe(requestId: string): CompletionSubscription;
  /** Wakes every subscriber as if its request had ended, so each re-reads its state (endings may have been missed). */
  wakeAll(): void;
  /** Releases every subscriber with "closed" (the provider is shutting down). */
  close(): void;
}

export function createCompletionSignal(recheckMs = 1000): CompletionSignal {
  const waiting = new Map<string, Set<(why: "ended" | "closed") => void>>();
  let closed = false;

  const remove = (requestId: string, wake: (why: "ended" | "closed") => void) => {
    const set = waiting.get(requestId);
    set?.delete(wake);
    if (set?.size === 0) waiting.delete(requestId);
  };

  return {
    recheckMs,

    publish(requestId) {
      const set = waiting.get(requestId);
      if (!set) return;
      waiting.delete(requestId);
      for (const wake of set) wake("ended");
    },

    subscribe(requestId) {
      let wake!: (why: "ended" | "closed") => void;
      const ended = new Promise<"ended" | "closed">((resolve) => (wake = resolve));
      if (closed) wake("closed");
      else {
        const set = waiting.get(requestId) ?? new Set();
        set.add(wake);
        waiting.set(requestId, set);
      }
      return { ended, cancel: () => remove(requestId, wake) };
    },

    wakeAll() {
      const sets = [...waiting.values()];
      waiting.clear();
      for (const set of sets) for (const wake of set) wake("ended");
    },

    close() {
      closed = true;
      for (const set of waiting.values()) for (const wake of set) wake("closed");
      waiting.clear();
    },
  };
}
