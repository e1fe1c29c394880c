import type { Database, Statement } from 'better-sqlite3';
import { SeatConflict, type EventMetadata, type PendingEvent, type StoredEvent } from '../../application/ports/eventStore.js';
import { nextVersions } from '../streamVersions.js';
import { RefusedSeats, type SqliteProjections } from './projections.js';

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
    const versions = nextVersions(pending, (stream) => (this.currentVersion.get(stream) as { version: number | null }).version ?? 0);
    const stored = pending.map(({ stream, event }, index) =>
      this.write({ position: null, stream, version: versions[index]!, type: event.type, data: event.data, metadata, recordedAt }),
    );
    this.flushSeats();
    return stored;
  }

  /** Writes the seats the projected events hold; an overlap becomes a SeatConflict naming the holder in the way. */
  flushSeats(): void {
    try {
      this.projections.flushSeats();
    } catch (error) {
      if (!(error instanceof RefusedSeats)) throw error;
      const { claim } = error;
      for (const tableId of claim.tableIds) {
        const holder = this.seatHolder.get(tableId, claim.end, claim.start, claim.holder) as { booking_id: string } | undefined;
        if (holder) throw new SeatConflict(tableId, holder.booking_id);
      }
      throw new SeatConflict(claim.tableIds[0] ?? 'unknown', 'unknown');
    }
  }

  /** Writes one event as given (a null position takes the next one) and projects it. */
  write(event: Omit<StoredEvent, 'position'> & { position: number | null }): StoredEvent {
    const result = this.insertEvent.run({
      ...event,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
    });
    const stored = { ...event, position: Number(result.lastInsertRowid) };
    this.projections.apply(stored);
    return stored;
  }
}
