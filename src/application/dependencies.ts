import type { ApplicationCaches } from './caches.js';
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
  /** Per-process memos keyed on sector revisions (see `createCaches`). */
  caches: ApplicationCaches;
  settings: {
    idempotencyRetentionMs: number;
    /** How long a request waits for a same-key request in flight before answering 409. */
    idempotencyWaitMs: number;
    storeName: string;
    version: string;
  };
}

/** Who is asking, for idempotency scopes and event metadata. */
export interface Caller {
  actor: string;
  requestId?: string | undefined;
}
