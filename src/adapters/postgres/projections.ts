import type { SeatConflict, StoredEvent } from '../../application/ports/eventStore.js';
import { foldEventsAsync, ProjectionBatch, type ProjectedRow, type Subject } from '../../application/projections/projectionBatch.js';
import { nameSeatConflict, RefusedSeats, type HeldSeat, type SeatChange } from '../../application/projections/seatClaims.js';
import { pgError, SQLSTATE, toNumber, type Queryable } from './db.js';

const LOADS: Record<Subject['kind'], string> = {
  booking: 'SELECT data FROM bookings WHERE id = $1 FOR UPDATE',
  blackout: 'SELECT data FROM blackouts WHERE id = $1 FOR UPDATE',
  waitlistEntry: 'SELECT data FROM waitlist WHERE id = $1 FOR UPDATE',
};

/** One upsert per row kind: its statement and its parameters. */
const UPSERTS: { [K in ProjectedRow['kind']]: { sql: string; params: (row: Extract<ProjectedRow, { kind: K }>) => unknown[] } } = {
  restaurant: {
    sql: `INSERT INTO restaurants (id, version, data) VALUES ($1, $2, $3)
          ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data`,
    params: ({ value, version }) => [value.id, version, JSON.stringify(value)],
  },
  sector: {
    sql: `INSERT INTO sectors (id, restaurant_id, version, data) VALUES ($1, $2, $3, $4)
          ON CONFLICT (id) DO UPDATE SET restaurant_id = EXCLUDED.restaurant_id, version = EXCLUDED.version, data = EXCLUDED.data`,
    params: ({ value, version }) => [value.id, value.restaurantId, version, JSON.stringify(value)],
  },
  table: {
    sql: `INSERT INTO tables (id, sector_id, version, data) VALUES ($1, $2, $3, $4)
          ON CONFLICT (id) DO UPDATE SET sector_id = EXCLUDED.sector_id, version = EXCLUDED.version, data = EXCLUDED.data`,
    params: ({ value, version }) => [value.id, value.sectorId, version, JSON.stringify(value)],
  },
  booking: {
    sql: `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
          ON CONFLICT (id) DO UPDATE SET
            restaurant_id = EXCLUDED.restaurant_id, sector_id = EXCLUDED.sector_id, date = EXCLUDED.date,
            status = EXCLUDED.status, start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms,
            version = EXCLUDED.version, data = EXCLUDED.data`,
    params: ({ value: b, version }) => [b.id, b.restaurantId, b.sectorId, b.date, b.status, b.start, b.end, version, JSON.stringify(b)],
  },
  blackout: {
    sql: `INSERT INTO blackouts (id, sector_id, status, start_ms, end_ms, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms,
            version = EXCLUDED.version, data = EXCLUDED.data`,
    params: ({ value: b, version }) => [b.id, b.sectorId, b.status, b.start, b.end, version, JSON.stringify(b)],
  },
  waitlistEntry: {
    sql: `INSERT INTO waitlist (id, sector_id, status, created_at, version, data) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, version = EXCLUDED.version, data = EXCLUDED.data`,
    params: ({ value: e, version }) => [e.id, e.sectorId, e.status, e.createdAt, version, JSON.stringify(e)],
  },
};

/**
 * Carries out the projection core's writes for a run of events, on the connection
 * (and so in the transaction) that appended them. Rows are read FOR UPDATE, so two
 * appends about one booking queue rather than overwrite each other.
 */
export async function projectRows(db: Queryable, batch: ProjectionBatch, events: readonly StoredEvent[]): Promise<void> {
  await foldEventsAsync(batch, events, async (subject) => (await db.query(LOADS[subject.kind], [subject.id])).rows[0]?.data ?? null);
  for (const row of batch.takeRows()) {
    const upsert = UPSERTS[row.kind] as { sql: string; params: (row: ProjectedRow) => unknown[] };
    await db.query(upsert.sql, upsert.params(row));
  }
  // Sorted, so that two transactions bumping the same sectors queue instead of deadlocking.
  for (const sectorId of batch.takeChangedSectors().sort()) {
    await db.query(
      `INSERT INTO sector_revisions (sector_id, revision) VALUES ($1, 1)
       ON CONFLICT (sector_id) DO UPDATE SET revision = sector_revisions.revision + 1`,
      [sectorId],
    );
  }
}

/** Projects one append or import: rows, then the seats as the whole batch leaves them. */
export async function project(db: Queryable, events: readonly StoredEvent[]): Promise<void> {
  const batch = new ProjectionBatch();
  await projectRows(db, batch, events);
  await writeSeats(db, batch.takeSeatChanges());
}

/**
 * Releases every changed holder's seats, then writes the claims, so the exclusion
 * constraint judges the seats as the whole batch leaves them — repack may swap
 * tables. A refusal (23P01) is raised as `RefusedSeats` naming the claim.
 */
export async function writeSeats(db: Queryable, changes: readonly SeatChange[]): Promise<void> {
  const holders = changes.map((change) => change.holder);
  if (holders.length > 0) await db.query('DELETE FROM booking_seats WHERE booking_id = ANY($1::text[])', [holders]);
  for (const { claim } of changes) {
    if (!claim) continue;
    // Sorted, so that two transactions seating the same tables queue instead of deadlocking.
    const tableIds = [...new Set(claim.tableIds)].sort();
    try {
      await db.query(
        `INSERT INTO booking_seats (booking_id, table_id, sector_id, during)
         SELECT $1, table_id, $2, int8range($3::bigint, $4::bigint) FROM unnest($5::text[]) AS table_id`,
        [claim.holder, claim.sectorId, claim.start, claim.end, tableIds],
      );
    } catch (error) {
      if (pgError(error)?.code === SQLSTATE.exclusionViolation) throw new RefusedSeats(claim, changes);
      throw error;
    }
  }
}

/**
 * Names the table and the holder that took it, once the refused transaction has
 * rolled back: a committed seat (the exclusion check waited for it) or a claim
 * made earlier in the same batch.
 */
export async function seatConflictOf(db: Queryable, refused: RefusedSeats): Promise<SeatConflict> {
  const { claim, changes } = refused;
  const result = await db.query<{ holder: string; tableId: string; start: string; end: string }>(
    `SELECT booking_id AS holder, table_id AS "tableId", lower(during) AS start, upper(during) AS "end" FROM booking_seats
     WHERE table_id = ANY($1::text[]) AND during && int8range($2::bigint, $3::bigint) AND booking_id <> $4
     ORDER BY booking_id, table_id`,
    [claim.tableIds, claim.start, claim.end, claim.holder],
  );
  const held: HeldSeat[] = result.rows.map((row) => ({ ...row, start: toNumber(row.start), end: toNumber(row.end) }));
  return nameSeatConflict(claim, changes, held);
}

/** Empties every projection, seat rows included. */
export async function truncateProjections(db: Queryable): Promise<void> {
  // Revisions only ever grow, even across a rebuild, so that no cached answer outlives it.
  await db.query('TRUNCATE restaurants, sectors, tables, bookings, booking_seats, blackouts, waitlist');
  await db.query('UPDATE sector_revisions SET revision = revision + 1000000');
}

export interface EventRow {
  position: string;
  stream: string;
  version: number;
  type: StoredEvent['type'];
  data: StoredEvent['data'];
  metadata: StoredEvent['metadata'];
  recorded_at: string;
}

export const EVENT_COLUMNS = 'position, stream, version, type, data, metadata, recorded_at';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: toNumber(row.position),
    stream: row.stream,
    version: row.version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: toNumber(row.recorded_at),
  };
}
