import type { StoredEvent } from './eventStore.js';

/**
 * Where a reader stands in the committed log. Opaque to the application: each
 * store encodes its own order (SQLite and memory: the position; PostgreSQL: the
 * committing transaction and the position), and only the store compares cursors.
 */
export type LogCursor = string;

export interface CommittedEvent extends StoredEvent {
  /** Reading again after this cursor continues right after this event. */
  cursor: LogCursor;
}

/** A read of the committed log. */
export interface CommittedRead {
  events: CommittedEvent[];
  /**
   * Whether the read left out events already committed, to keep the order (on
   * PostgreSQL: commits above the horizon, behind a transaction still running).
   * A short read that held nothing back reached the end of the log as it was.
   */
  heldBack: boolean;
}

export type LeaseClaim = { held: true; checkpoint: LogCursor | null } | { held: false };

/**
 * What a store offers for durable subscriptions: a gap-free committed order, one
 * checkpoint and one lease per subscription, kept in the store itself.
 */
export interface SubscriptionStore {
  /**
   * Committed events after `after` (null: from the log's start), at most `limit`, in
   * an order that never goes back and never skips an event whose transaction
   * committed after a later position was read.
   */
  readCommitted(after: LogCursor | null, limit: number): Promise<CommittedRead>;
  /** The cursor of the last committed event now, `null` for an empty log. */
  committedEnd(): Promise<LogCursor | null>;
  /**
   * Takes the subscription's lease for `owner` (creating the subscription at
   * `startAt` if it does not exist), or renews it if `owner` holds it already.
   * Another owner's lease that has not expired by `now` is left alone. A lease
   * runs until `now + leaseMs` of the claim (or save) that last renewed it, and has
   * expired once that instant is reached.
   */
  claimLease(name: string, owner: string, now: number, leaseMs: number, startAt: LogCursor | null): Promise<LeaseClaim>;
  /**
   * Moves the checkpoint to `cursor` and renews the lease while `owner` still
   * holds it; answers false when the lease was lost. Never moves a checkpoint back.
   * "Holds" means "is still the recorded owner": a lease that ran out but that no one
   * has taken over yet is still held, since no one else can have handled anything.
   */
  saveCheckpoint(name: string, owner: string, cursor: LogCursor, now: number, leaseMs: number): Promise<boolean>;
  /** Gives the lease up at once, so that another process need not wait for it to expire. */
  releaseLease(name: string, owner: string): Promise<void>;
  /** The stored checkpoint, for operators and tests. */
  checkpointOf(name: string): Promise<LogCursor | null>;
  /**
   * Calls `listener` after an append made through this store object commits: a hint
   * to read now, never a delivery. Returns a function that removes the listener.
   */
  onCommitted(listener: () => void): () => void;
}
