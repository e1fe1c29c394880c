/**
 * The listeners behind `SubscriptionStore.onCommitted`: a store calls `notify`
 * once an append has committed. They are only hints to read now, so a listener
 * that throws must neither fail the append nor stop the other listeners.
 */
export class CommitListeners {
  private readonly listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    // A wrapper of its own, so that adding one function twice gives two removable entries.
    const entry = () => listener();
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A hint that failed to land costs a poll interval, never an event.
      }
    }
  }
}
