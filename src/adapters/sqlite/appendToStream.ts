import type { Database, Statement } from 'better-sqlite3';
import {
  BLACKOUT_HOLDER_PREFIX,
  SeatConflict,
  type DomainEvent,
  StreamVersionConflict,
  type EventMetadata,
  type PendingEvent,
  type StoredEvent,
} from '../../application/ports/eventStore.js';
import { blackoutIdOf, isBlackoutEvent, type Blackout } from '../../domain/blackouts/blackout.js';
import type { Booking } from '../../domain/bookings/booking.js';
import { bookingIdOf, isBookingEvent, isBookingOpened } from '../../domain/bookings/bookingEvents.js';
import type { SqliteProjections } from './projections.js';

/** Appends with optimistic concurrency and projects, inside the caller's transaction. */
export class SqliteAppender {
  private readonly currentVersion: Statement;
  private readonly insertEvent: Statement;
  private readonly seatHolder: Statement;
  private readonly bookingRow: Statement;
  private readonly blackoutRow: Statement;

  constructor(
    db: Database,
    private readonly projections: SqliteProjections,
  ) {
    this.currentVersion = db.prepare('SELECT MAX(version) AS version FROM events WHERE stream = ?');
    this.insertEvent = db.prepare(
      `INSERT INTO events (position, stream, version, type, data, metadata, recorded_at)
       VALUES (@position, @stream, @version, @type, @data, @metadata, @recordedAt)`,
    );
    this.bookingRow = db.prepare('SELECT data FROM bookings WHERE id = ?');
    this.blackoutRow = db.prepare('SELECT data FROM blackouts WHERE id = ?');
    this.seatHolder = db.prepare(
      'SELECT booking_id FROM booking_seats WHERE table_id = ? AND start_ms < ? AND end_ms > ? AND booking_id <> ? LIMIT 1',
    );
  }

  append(pending: readonly PendingEvent[], metadata: EventMetadata, recordedAt: number): StoredEvent[] {
    const stored: StoredEvent[] = [];
    for (const { stream, expectedVersion, event } of pending) {
      const actual = (this.currentVersion.get(stream) as { version: number | null }).version ?? 0;
      if (actual !== (expectedVersion === 'none' ? 0 : expectedVersion)) {
        throw new StreamVersionConflict(stream, expectedVersion, actual);
      }
      stored.push(this.write({ position: null, stream, version: actual + 1, type: event.type, data: event.data, metadata, recordedAt }));
    }
    return stored;
  }

  /** Writes one event as given (a null position takes the next one) and projects it. */
  write(event: Omit<StoredEvent, 'position'> & { position: number | null }): StoredEvent {
    const result = this.insertEvent.run({
      ...event,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
    });
    const stored = { ...event, position: Number(result.lastInsertRowid) };
    try {
      this.projections.apply(stored);
    } catch (error) {
      throw this.explain(error, stored);
    }
    return stored;
  }

  private explain(error: unknown, stored: StoredEvent): unknown {
    if (!(error instanceof Error) || !error.message.includes('seat_conflict')) return error;
    const claim = this.claimOf(stored);
    for (const tableId of claim.tableIds) {
      const holder = this.seatHolder.get(tableId, claim.end, claim.start, claim.holder) as { booking_id: string } | undefined;
      if (holder) return new SeatConflict(tableId, holder.booking_id);
    }
    return new SeatConflict(claim.tableIds[0] ?? 'unknown', 'unknown');
  }

  /** The seats the refused event asked for, read back from the rows it wrote before the refusal. */
  private claimOf(stored: StoredEvent): { holder: string; tableIds: string[]; start: number; end: number } {
    const event = { type: stored.type, data: stored.data } as DomainEvent;
    if (isBookingEvent(event)) {
      const booking = isBookingOpened(event) ? event.data.booking : (JSON.parse((this.bookingRow.get(bookingIdOf(event)) as { data: string }).data) as Booking);
      return { holder: booking.id, tableIds: booking.tableIds, start: booking.start, end: booking.end };
    }
    if (isBlackoutEvent(event)) {
      const blackout = JSON.parse((this.blackoutRow.get(blackoutIdOf(event)) as { data: string }).data) as Blackout;
      const next = event.type === 'BlackoutPlaced' ? event.data.blackout : event.type === 'BlackoutResized' ? { ...blackout, ...event.data } : blackout;
      return { holder: BLACKOUT_HOLDER_PREFIX + blackout.id, tableIds: next.tableIds, start: next.start, end: next.end };
    }
    return { holder: '', tableIds: [], start: 0, end: 0 };
  }
}
