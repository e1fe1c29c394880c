import type { Database, Statement } from 'better-sqlite3';
import type { StoredEvent } from '../../application/ports/eventStore.js';
import { foldEvents, ProjectionBatch, type ProjectedRow, type Subject } from '../../application/projections/projectionBatch.js';
import { nameSeatConflict, type HeldSeat, type SeatChange } from '../../application/projections/seatClaims.js';
import { LONG_SEAT_MS } from '../../application/ports/readModel.js';
import { LONG_ROW } from './migrations.js';
import { freshHolders } from '../freshHolders.js';

export const PROJECTION_TABLES = ['restaurants', 'sectors', 'tables', 'bookings', 'booking_seats', 'blackouts', 'waitlist'] as const;

/** Run after emptying the projections: revisions only grow, so no cached answer outlives a rebuild. */
export const OUTDATE_REVISIONS = 'UPDATE sector_revisions SET revision = revision + 1000000';

const ROW_TABLES = { booking: 'bookings', blackout: 'blackouts', waitlistEntry: 'waitlist' } as const;

/** Carries out the projection core's writes on SQLite, inside the caller's transaction. */
export class SqliteProjections {
  private readonly upserts: Record<ProjectedRow['kind'], Statement>;
  private readonly loads: Record<Subject['kind'], Statement>;
  private readonly putSeat: Statement;
  private readonly dropSeats: Statement;
  private readonly seatsOverlapping: Statement;
  private readonly bumpRevision: Statement;

  constructor(db: Database) {
    // A later event about the same entity replaces what the projection holds.
    this.upserts = {
      restaurant: db.prepare('INSERT OR REPLACE INTO restaurants (id, data) VALUES (@id, @data)'),
      sector: db.prepare('INSERT OR REPLACE INTO sectors (id, restaurant_id, data) VALUES (@id, @restaurantId, @data)'),
      table: db.prepare('INSERT OR REPLACE INTO tables (id, sector_id, data) VALUES (@id, @sectorId, @data)'),
      booking: db.prepare(
        `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
         VALUES (@id, @restaurantId, @sectorId, @date, @status, @start, @end, @version, @data)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, data = excluded.data`,
      ),
      blackout: db.prepare(
        `INSERT OR REPLACE INTO blackouts (id, sector_id, status, start_ms, end_ms, version, data)
         VALUES (@id, @sectorId, @status, @start, @end, @version, @data)`,
      ),
      waitlistEntry: db.prepare(
        `INSERT OR REPLACE INTO waitlist (id, sector_id, status, created_at, version, data)
         VALUES (@id, @sectorId, @status, @createdAt, @version, @data)`,
      ),
    };
    this.loads = {
      booking: db.prepare(`SELECT data FROM ${ROW_TABLES.booking} WHERE id = ?`),
      blackout: db.prepare(`SELECT data FROM ${ROW_TABLES.blackout} WHERE id = ?`),
      waitlistEntry: db.prepare(`SELECT data FROM ${ROW_TABLES.waitlistEntry} WHERE id = ?`),
    };
    this.putSeat = db.prepare('INSERT INTO booking_seats (booking_id, table_id, sector_id, start_ms, end_ms) VALUES (?, ?, ?, ?, ?)');
    this.dropSeats = db.prepare('DELETE FROM booking_seats WHERE booking_id = ?');
    // Bounded like the trigger (see LONG_ROW): short rows by start, long ones by end.
    this.seatsOverlapping = db.prepare(
      `SELECT booking_id AS holder, table_id AS tableId, start_ms AS start, end_ms AS end FROM booking_seats
       WHERE table_id IN (SELECT value FROM json_each(@tables)) AND start_ms > @floor AND start_ms < @end AND end_ms > @start
       UNION ALL
       SELECT booking_id AS holder, table_id AS tableId, start_ms AS start, end_ms AS end FROM booking_seats
       WHERE table_id IN (SELECT value FROM json_each(@tables)) AND ${LONG_ROW} AND end_ms > @start AND start_ms <= @floor`,
    );
    this.bumpRevision = db.prepare(
      `INSERT INTO sector_revisions (sector_id, revision) VALUES (?, 1)
       ON CONFLICT (sector_id) DO UPDATE SET revision = revision + 1`,
    );
  }

  /** Projects one append or import; the seat trigger's refusal becomes a `SeatConflict`. */
  project(events: readonly StoredEvent[]): void {
    const batch = new ProjectionBatch();
    this.fold(batch, events);
    this.writeSeats(batch.takeSeatChanges(), freshHolders(events));
  }

  /** Folds a page of a replay and writes its rows; seats wait in the batch for `writeSeats`. */
  fold(batch: ProjectionBatch, events: readonly StoredEvent[]): void {
    foldEvents(batch, events, (subject) => {
      const row = this.loads[subject.kind].get(subject.id) as { data: string } | undefined;
      return row ? JSON.parse(row.data) : null;
    });
    for (const row of batch.takeRows()) this.upserts[row.kind].run({ ...row.value, version: row.version, data: JSON.stringify(row.value) });
    for (const sectorId of batch.takeChangedSectors()) this.bumpRevision.run(sectorId);
  }

  /**
   * Releases every changed holder's seats, then writes the claims: the trigger
   * judges the seats as the whole batch leaves them (repack may swap tables).
   */
  writeSeats(changes: readonly SeatChange[], fresh: ReadonlySet<string> = new Set()): void {
    for (const { holder } of changes) if (!fresh.has(holder)) this.dropSeats.run(holder);
    for (const { claim } of changes) {
      if (!claim) continue;
      try {
        for (const tableId of claim.tableIds) this.putSeat.run(claim.holder, tableId, claim.sectorId, claim.start, claim.end);
      } catch (error) {
        if (!(error instanceof Error && error.message.includes('seat_conflict'))) throw error;
        const held = this.seatsOverlapping.all({
          tables: JSON.stringify(claim.tableIds),
          start: claim.start,
          end: claim.end,
          floor: claim.start - LONG_SEAT_MS,
        }) as HeldSeat[];
        throw nameSeatConflict(claim, changes, held);
      }
    }
  }
}
