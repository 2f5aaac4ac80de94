// Wakes token requests held by long polling the moment their request ends. completeAuthRequest
// publishes every ended request; a held token request subscribes to its own. This implementation is
// in-process: with several provider instances, a Redis pub/sub implementation of the same interface
// carries the wake-up across them (until then a held request also re-reads the database every second,
// so an approval taken by another instance is seen within that second).

export interface CompletionSubscription {
  /** Resolves "ended" when the request is published as ended, "closed" when the signal shuts down. */
  readonly ended: Promise<"ended" | "closed">;
  /** Stops listening (always call it, e.g. in a finally). */
  cancel(): void;
}

export interface CompletionSignal {
  /** Announces that the request with this id (the device-facing id) has ended. */
  publish(requestId: string): void;
  /** Listens for the end of one request, from now on. */
  subscribe(requestId: string): CompletionSubscription;
  /** Releases every subscriber with "closed" (the provider is shutting down). */
  close(): void;
}

export function createCompletionSignal(): CompletionSignal {
  const waiting = new Map<string, Set<(why: "ended" | "closed") => void>>();
  let closed = false;

  const remove = (requestId: string, wake: (why: "ended" | "closed") => void) => {
    const set = waiting.get(requestId);
    set?.delete(wake);
    if (set?.size === 0) waiting.delete(requestId);
  };

  return {
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

    close() {
      closed = true;
      for (const set of waiting.values()) for (const wake of set) wake("closed");
      waiting.clear();
    },
  };
}
