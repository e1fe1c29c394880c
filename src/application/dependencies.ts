import type { ApplicationCaches } from './caches.js';
import type { Principal } from './access/principal.js';
import type { AccessStore } from './ports/accessStore.js';
import type { Credentials } from './ports/credentials.js';
import type { EventStore } from './ports/eventStore.js';
import type { GuestStore } from './ports/guestStore.js';
import type { IdempotencyStore } from './ports/idempotencyStore.js';
import type { ReadModel } from './ports/readModel.js';
import type { Clock, IdGenerator, LockManager } from './ports/runtime.js';

export interface Dependencies {
  events: EventStore;
  reads: ReadModel;
  idempotency: IdempotencyStore;
  /** Users, memberships, API keys, refresh tokens and failed logins: beside the log, not in it. */
  access: AccessStore;
  /** Guest profiles: state beside the log, so that personal data can be erased. */
  guests: GuestStore;
  /** Keys and hashes behind access tokens, passwords and guest manage tokens. */
  credentials: Credentials;
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

/** Who is asking: for authorization, idempotency scopes and event metadata. */
export interface Caller {
  actor: string;
  requestId?: string | undefined;
  /** Resolved by the protocol adapter from the credentials sent; absent for in-process callers, which act for the platform. */
  principal?: Principal | null | undefined;
  /** A guest's manage token (`X-Booking-Token`), checked against the object the call is about. */
  manageToken?: string | undefined;
  /** The network client (its address) as the protocol sees it: what tells anonymous callers apart. */
  client?: string | undefined;
}

/**
 * Whose idempotency keys these are: the principal, or for anonymous callers the
 * client, so that nobody replays someone else's key into their booking and token.
 */
export function idempotencyScopeOf(caller: Caller): string {
  return caller.principal?.kind === 'anonymous' ? `anonymous:${caller.client ?? 'unknown'}` : caller.actor;
}
