import { bookingIdOf, isBookingEvent, type BookingEvent } from '../../domain/bookings/bookingEvents.js';
import { blackoutIdOf, isBlackoutEvent, type BlackoutEvent } from '../../domain/blackouts/blackout.js';
import type { SetupEvent } from '../../domain/restaurants/restaurant.js';
import { entryIdOf, isWaitlistEvent, type WaitlistEvent } from '../../domain/waitlist/waitlistEntry.js';
import type { IdempotentAnswer } from './idempotencyStore.js';

export type DomainEvent = BookingEvent | SetupEvent | BlackoutEvent | WaitlistEvent;

/** `'none'` expects the stream not to exist yet; a number is the version last read. */
export type ExpectedVersion = number | 'none';

export interface PendingEvent {
  stream: string;
  expectedVersion: ExpectedVersion;
  event: DomainEvent;
}

export interface EventMetadata {
  actor: string;
  requestId?: string | undefined;
  idempotencyKey?: string | undefined;
}

export interface StoredEvent {
  /** Position in the global log, from 1. */
  position: number;
  stream: string;
  /** Version of the stream after this event, from 1. */
  version: number;
  type: DomainEvent['type'];
  data: DomainEvent['data'];
  metadata: EventMetadata;
  recordedAt: number;
}

/**
 * Append-only log. `append` writes every event or none, and updates the read
 * models in the same step, so a read right after a write sees it. With `answer`,
 * the same step completes that claimed idempotency record: a booking is never
 * kept without the answer its key replays, even if the process dies right after.
 */
export interface EventStore {
  append(events: readonly PendingEvent[], metadata: EventMetadata, recordedAt: number, answer?: IdempotentAnswer): Promise<StoredEvent[]>;
  readStream(stream: string): Promise<StoredEvent[]>;
}

/** How far a rebuild has come, in events of the log. */
export interface RebuildProgress {
  done: number;
  total: number;
}

export interface RebuildOptions {
  /** Events replayed per transaction (a batch never ends inside one append). */
  batchEvents?: number;
  /** Called after each committed batch. */
  onProgress?: (progress: RebuildProgress) => void;
  /** Stops, as a crash would, once this many batches have committed: a test hook for resuming. */
  stopAfterBatches?: number;
}

/**
 * A maintenance job that has started and not finished. While one is recorded the
 * projections do not match the whole log, and readiness (`ping`) fails.
 * - `rebuild`: the projections hold the log replayed up to `position`; a rerun goes on from there.
 * - `restore`: the store holds a backup up to its last event, projected; a rerun of the same
 *   restore goes on after it.
 */
export interface MaintenanceJob {
  kind: 'rebuild' | 'restore';
  position: number;
  done: number;
  total: number;
}

/**
 * What operators need beyond the use cases: backup, restore and replay. Each
 * adapter also creates its schema through versioned migrations when opened.
 */
export interface EventLogMaintenance {
  /** Events in log order from a position (exclusive), at most `limit`. */
  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]>;
  /** Writes events as they were (positions, versions, times) into an empty log, projecting them. */
  importEvents(events: readonly StoredEvent[]): Promise<void>;
  /**
   * Empties every projection and replays the whole log into them, in batches of
   * one transaction each, recording how far it came (`unfinishedJob`): after an
   * interruption, the next call goes on from the last committed batch.
   */
  rebuildProjections(options?: RebuildOptions): Promise<void>;
  close(): Promise<void>;
  // Resumable maintenance. Every store here has them; a bare log without them restores only whole.
  /** The last position in the log, 0 when empty. */
  lastPosition?(): Promise<number>;
  /** The unfinished rebuild or restore, if any. */
  unfinishedJob?(): Promise<MaintenanceJob | null>;
  /** Records that a restore has started (`total` events expected), or with `null`, that it has ended. */
  markRestore?(total: number | null): Promise<void>;
}

/** The stream already exists, or moved on since it was read. */
export class StreamVersionConflict extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${stream}: expected version ${expected}, found ${actual}`);
    this.name = 'StreamVersionConflict';
  }
}

/**
 * The store refused seats (for a booking or a blackout) that overlap what already
 * holds the table: a seat-taking booking, or a blackout named `blackout:<id>`.
 */
export class SeatConflict extends Error {
  constructor(
    readonly tableId: string,
    readonly conflictingBookingId: string,
  ) {
    super(`table ${tableId} is taken by ${conflictingBookingId} for part of that interval`);
    this.name = 'SeatConflict';
  }
}

export const streams = {
  restaurant: (id: string) => `restaurant-${id}`,
  sector: (id: string) => `sector-${id}`,
  table: (id: string) => `table-${id}`,
  booking: (id: string) => `booking-${id}`,
  blackout: (id: string) => `blackout-${id}`,
  waitlist: (id: string) => `waitlist-${id}`,
};

/** The stream an event belongs on: the stream of the entity it is about. */
export function streamOf(event: DomainEvent): string {
  if (isBookingEvent(event)) return streams.booking(bookingIdOf(event));
  if (isBlackoutEvent(event)) return streams.blackout(blackoutIdOf(event));
  if (isWaitlistEvent(event)) return streams.waitlist(entryIdOf(event));
  switch (event.type) {
    case 'RestaurantRegistered':
    case 'RestaurantUpdated':
      return streams.restaurant(event.data.restaurant.id);
    case 'SectorAdded':
    case 'SectorUpdated':
      return streams.sector(event.data.sector.id);
    case 'TableAdded':
    case 'TableUpdated':
      return streams.table(event.data.table.id);
  }
}
