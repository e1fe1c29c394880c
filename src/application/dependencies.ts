import type { EventStore } from './ports/eventStore.js';
import type { IdempotencyStore } from './ports/idempotencyStore.js';
import type { ReadModel } from './ports/readModel.js';
import type { Clock, IdGenerator, LockManager } from './ports/runtime.js';

export interface Dependencies {
  events: EventStore;
  reads: ReadModel;
  idempotency: IdempotencyStore;
  locks: LockManager;
  clock: Clock;
  ids: IdGenerator;
  settings: {
    idempotencyRetentionMs: number;
    /** How long a request waits for a same-key request in flight before answering 409. */
    idempotencyWaitMs: number;
    /** How many discover answers to keep per process; 0 turns the cache off. */
    discoverCacheEntries: number;
    storeName: string;
    version: string;
  };
}

/** Who is asking, for idempotency scopes and event metadata. */
export interface Caller {
  actor: string;
  requestId?: string | undefined;
}
