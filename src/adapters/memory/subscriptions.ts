import type { StoredEvent } from '../../application/ports/eventStore.js';
import type { CommittedRead, LeaseClaim, LogCursor, SubscriptionStore } from '../../application/ports/eventSubscriptions.js';
import { CommitListeners } from '../commitListeners.js';
import { positionCursor, positionOf, withPositionCursors } from '../positionCursors.js';

interface SubscriptionRecord {
  checkpoint: number | null;
  owner: string | null;
  leaseUntil: number;
}

/**
 * Subscriptions over the memory store's log. One process, appends applied whole
 * and in position order: the position is the committed order, and the cursor.
 * The owning store calls `notifyCommitted` after each append or import.
 */
export class MemorySubscriptions implements SubscriptionStore {
  private readonly records = new Map<string, SubscriptionRecord>();
  private readonly listeners = new CommitListeners();

  constructor(private readonly log: () => readonly StoredEvent[]) {}

  async readCommitted(after: LogCursor | null, limit: number): Promise<CommittedRead> {
    if (limit <= 0) return { events: [], heldBack: false };
    const events = this.log();
    const from = firstAfter(events, positionOf(after));
    // Appends are applied whole and in position order: nothing committed is ever behind one still running.
    return { events: withPositionCursors(events.slice(from, from + limit).map((event) => structuredClone(event))), heldBack: false };
  }

  async committedEnd(): Promise<LogCursor | null> {
    const last = this.log().at(-1);
    return last ? positionCursor(last.position) : null;
  }

  async claimLease(name: string, owner: string, now: number, leaseMs: number, startAt: LogCursor | null): Promise<LeaseClaim> {
    const record = this.records.get(name);
    if (!record) {
      const record = { checkpoint: startAt === null ? null : positionOf(startAt), owner, leaseUntil: now + leaseMs };
      this.records.set(name, record);
      return { held: true, checkpoint: cursorOf(record) };
    }
    if (record.owner !== owner && record.owner !== null && record.leaseUntil > now) return { held: false };
    record.owner = owner;
    record.leaseUntil = now + leaseMs;
    return { held: true, checkpoint: cursorOf(record) };
  }

  async saveCheckpoint(name: string, owner: string, cursor: LogCursor, now: number, leaseMs: number): Promise<boolean> {
    const record = this.records.get(name);
    if (!record || record.owner !== owner) return false;
    record.checkpoint = Math.max(record.checkpoint ?? 0, positionOf(cursor));
    record.leaseUntil = now + leaseMs;
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    const record = this.records.get(name);
    if (record?.owner !== owner) return;
    record.owner = null;
    record.leaseUntil = 0;
  }

  async checkpointOf(name: string): Promise<LogCursor | null> {
    const record = this.records.get(name);
    return record ? cursorOf(record) : null;
  }

  onCommitted(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  notifyCommitted(): void {
    this.listeners.notify();
  }
}

function cursorOf(record: SubscriptionRecord): LogCursor | null {
  return record.checkpoint === null ? null : positionCursor(record.checkpoint);
}

/** Index of the first event after `position`: the log is in position order, so a binary search. */
function firstAfter(events: readonly StoredEvent[], position: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.position <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}
