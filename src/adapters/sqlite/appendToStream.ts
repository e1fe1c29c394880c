import type { Database, Statement } from 'better-sqlite3';
import {
  SeatConflict,
  StreamVersionConflict,
  type EventMetadata,
  type PendingEvent,
  type StoredEvent,
} from '../../application/ports/eventStore.js';
import { isBookingOpened } from '../../domain/bookings/bookingEvents.js';
import type { SqliteProjections } from './projections.js';

/** Appends with optimistic concurrency and projects, inside the caller's transaction. */
export class SqliteAppender {
  private readonly currentVersion: Statement;
  private readonly insertEvent: Statement;
  private readonly seatHolder: Statement;

  constructor(
    db: Database,
    private readonly projections: SqliteProjections,
  ) {
    this.currentVersion = db.prepare('SELECT MAX(version) AS version FROM events WHERE stream = ?');
    this.insertEvent = db.prepare(
      `INSERT INTO events (position, stream, version, type, data, metadata, recorded_at)
       VALUES (@position, @stream, @version, @type, @data, @metadata, @recordedAt)`,
    );
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
    if (!(error instanceof Error) || !error.message.includes('seat_conflict') || !isBookingOpened(stored)) return error;
    const booking = (stored.data as { booking: { id: string; tableIds: string[]; start: number; end: number } }).booking;
    for (const tableId of booking.tableIds) {
      const holder = this.seatHolder.get(tableId, booking.end, booking.start, booking.id) as { booking_id: string } | undefined;
      if (holder) return new SeatConflict(tableId, holder.booking_id);
    }
    return new SeatConflict(booking.tableIds[0] ?? 'unknown', 'unknown');
  }
}
