import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import type { Blackout } from '../../domain/blackouts/blackout.js';
import { sourceOfHolder } from '../../application/projections/seatClaims.js';
import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import type { Interval } from '../../domain/time/interval.js';
import type { RestaurantAndSector, SectorWithRevision, Versioned } from '../../application/ports/readModel.js';
import { toNumber, type Queryable } from './db.js';

/**
 * The reads every discover, create and sweep makes, each bounded by its owner and
 * its time through an index (migration 9). Exported for the plan test.
 */
export const POSTGRES_HOT_QUERIES = {
  // Seat rows exist only for seat-taking bookings, so no status filter is needed.
  seatBlocks: `SELECT booking_id, table_id, lower(during) AS start_ms, upper(during) AS end_ms FROM booking_seats
     WHERE sector_id = $1 AND during && int8range($2, $3)`,
  // The tables (data set, the rest null) and the seat blocks in one round trip: what every create and uncached discover reads.
  tablesAndSeatBlocks: `SELECT data, NULL AS booking_id, NULL AS table_id, NULL::bigint AS start_ms, NULL::bigint AS end_ms
       FROM tables WHERE sector_id = $1
     UNION ALL
     SELECT NULL, booking_id, table_id, lower(during), upper(during) FROM booking_seats
       WHERE sector_id = $1 AND during && int8range($2, $3)`,
  // A create's first read: the restaurant, the sector and its revision (row 0), the tables (1) and the seat blocks (2), one snapshot.
  restaurantSectorAndSeats: `SELECT 0 AS part, (SELECT data FROM restaurants WHERE id = $1) AS data, (SELECT data FROM sectors WHERE id = $2) AS sector,
            (SELECT revision FROM sector_revisions WHERE sector_id = $2) AS revision,
            NULL::text AS booking_id, NULL::text AS table_id, NULL::bigint AS start_ms, NULL::bigint AS end_ms
     UNION ALL
     SELECT 1, data, NULL, NULL, NULL, NULL, NULL, NULL FROM tables WHERE sector_id = $2
     UNION ALL
     SELECT 2, NULL, NULL, NULL, booking_id, table_id, lower(during), upper(during) FROM booking_seats
       WHERE sector_id = $2 AND during && int8range($3, $4)`,
  blackoutsOfSector: `SELECT data FROM blackouts WHERE sector_id = $1 AND status = 'ACTIVE' AND int8range(start_ms, end_ms) && int8range($2, $3)
     ORDER BY start_ms, id COLLATE "C"`,
  bookingsOfDay: `SELECT data FROM bookings WHERE sector_id = $1 AND date = $2 AND restaurant_id = $3
     ORDER BY start_ms, id COLLATE "C"`,
  waitingEntries: `SELECT data FROM waitlist WHERE status = 'WAITING' AND sector_id = $1 AND data->>'date' >= $2
     ORDER BY created_at, id COLLATE "C"`,
  sectorsWithWaiting: `SELECT DISTINCT sector_id FROM waitlist WHERE status = 'WAITING' AND data->>'date' >= $1 ORDER BY sector_id`,
  expiredHolds: `SELECT id FROM bookings WHERE status = 'PENDING' AND (data->>'holdExpiresAt')::bigint <= $1
     ORDER BY (data->>'holdExpiresAt')::bigint, id COLLATE "C" LIMIT $2`,
  dueNoShows: `SELECT id FROM bookings WHERE status = 'CONFIRMED' AND (data->>'noShowDueAt')::bigint <= $1
     ORDER BY (data->>'noShowDueAt')::bigint, id COLLATE "C" LIMIT $2`,
} as const;

/** Reads of the projection tables; every entity is kept whole in `data`. */
export async function findRestaurant(db: Queryable, id: string): Promise<Restaurant | null> {
  const result = await db.query<{ data: Restaurant }>('SELECT data FROM restaurants WHERE id = $1', [id]);
  return result.rows[0]?.data ?? null;
}

export async function findSector(db: Queryable, id: string): Promise<Sector | null> {
  const result = await db.query<{ data: Sector }>('SELECT data FROM sectors WHERE id = $1', [id]);
  return result.rows[0]?.data ?? null;
}

/**
 * The restaurant, and the sector with its revision (0 before its first change), in one
 * statement; with a span, the sector's tables and seat blocks too, from the same snapshot.
 */
export async function restaurantAndSector(
  db: Queryable,
  restaurantId: string,
  sectorId: string,
  seatsOver?: Interval,
): Promise<RestaurantAndSector> {
  if (seatsOver) return restaurantSectorAndSeats(db, restaurantId, sectorId, seatsOver);
  const result = await db.query<{ restaurant: Restaurant | null; sector: Sector | null; revision: number | null }>(
    `SELECT (SELECT data FROM restaurants WHERE id = $1) AS restaurant, (SELECT data FROM sectors WHERE id = $2) AS sector,
            (SELECT revision FROM sector_revisions WHERE sector_id = $2) AS revision`,
    [restaurantId, sectorId],
  );
  const { restaurant, sector, revision } = result.rows[0]!;
  return { restaurant, sector: sector ? { sector, revision: revision ?? 0 } : null };
}

type HeadOrSeatRow = SeatRow & { part: 0 | 1 | 2; data: Restaurant | Table | null; sector: Sector | null; revision: number | null };

async function restaurantSectorAndSeats(
  db: Queryable,
  restaurantId: string,
  sectorId: string,
  span: Interval,
): Promise<RestaurantAndSector> {
  const result = await db.query<HeadOrSeatRow>(POSTGRES_HOT_QUERIES.restaurantSectorAndSeats, [
    restaurantId,
    sectorId,
    span.start,
    span.end,
  ]);
  let head: HeadOrSeatRow | undefined;
  const tables: Table[] = [];
  const blocks: SeatBlock[] = [];
  for (const row of result.rows) {
    if (row.part === 0) head = row;
    else if (row.part === 1) tables.push(row.data as Table);
    else blocks.push(seatBlockOf(row));
  }
  const { data, sector, revision } = head!;
  if (!sector) return { restaurant: data as Restaurant | null, sector: null };
  return {
    restaurant: data as Restaurant | null,
    sector: { sector, revision: revision ?? 0 },
    seats: { span, tables: tables.sort(byId), blocks },
  };
}

/** The restaurant's sectors by id, each with its revision (0 before its first change). */
export async function sectorsOfRestaurant(db: Queryable, restaurantId: string): Promise<SectorWithRevision[]> {
  const result = await db.query<{ data: Sector; revision: number | null }>(
    `SELECT s.data, r.revision FROM sectors s LEFT JOIN sector_revisions r ON r.sector_id = s.id
     WHERE s.restaurant_id = $1 ORDER BY s.id COLLATE "C"`,
    [restaurantId],
  );
  return result.rows.map((row) => ({ sector: row.data, revision: row.revision ?? 0 }));
}

export async function findTable(db: Queryable, id: string): Promise<Table | null> {
  const result = await db.query<{ data: Table }>('SELECT data FROM tables WHERE id = $1', [id]);
  return result.rows[0]?.data ?? null;
}

export async function tablesOfSector(db: Queryable, sectorId: string): Promise<Table[]> {
  const result = await db.query<{ data: Table }>('SELECT data FROM tables WHERE sector_id = $1 ORDER BY id COLLATE "C"', [sectorId]);
  return result.rows.map((row) => row.data);
}

export async function findBooking(db: Queryable, id: string): Promise<Versioned<Booking> | null> {
  const result = await db.query<{ data: Booking; version: number }>('SELECT data, version FROM bookings WHERE id = $1', [id]);
  const row = result.rows[0];
  return row ? { value: row.data, version: row.version } : null;
}

/** Every booking of the service date, cancelled ones too, by start then id. */
export async function bookingsOfDay(db: Queryable, restaurantId: string, sectorId: string, date: string): Promise<Booking[]> {
  const result = await db.query<{ data: Booking }>(POSTGRES_HOT_QUERIES.bookingsOfDay, [sectorId, date, restaurantId]);
  return result.rows.map((row) => row.data);
}

type SeatRow = { booking_id: string; table_id: string; start_ms: string; end_ms: string };

/** Tables by id in byte order, as `tablesOfSector` gives them: ids are ASCII (see entityIdSchema), so code-unit order is the C collation's. */
const byId = (a: Table, b: Table): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const seatBlockOf = (row: SeatRow): SeatBlock => ({
  tableId: row.table_id,
  start: Number(row.start_ms),
  end: Number(row.end_ms),
  source: sourceOfHolder(row.booking_id),
});

/** One block per table per seat-taking booking of the sector overlapping the half-open span. */
export async function seatBlocks(db: Queryable, sectorId: string, span: Interval): Promise<SeatBlock[]> {
  const result = await db.query<SeatRow>(POSTGRES_HOT_QUERIES.seatBlocks, [sectorId, span.start, span.end]);
  return result.rows.map(seatBlockOf);
}

/** `tablesOfSector` and `seatBlocks` in one statement; tables by id in byte order, as `tablesOfSector` gives them. */
export async function tablesAndSeatBlocks(
  db: Queryable,
  sectorId: string,
  span: Interval,
): Promise<{ tables: Table[]; blocks: SeatBlock[] }> {
  const result = await db.query<SeatRow & { data: Table | null }>(POSTGRES_HOT_QUERIES.tablesAndSeatBlocks, [
    sectorId,
    span.start,
    span.end,
  ]);
  const tables: Table[] = [];
  const blocks: SeatBlock[] = [];
  for (const row of result.rows) {
    if (row.data) tables.push(row.data);
    else blocks.push(seatBlockOf(row));
  }
  return { tables: tables.sort(byId), blocks };
}

export async function blackout(db: Queryable, id: string): Promise<Versioned<Blackout> | null> {
  const result = await db.query<{ data: Blackout; version: number }>('SELECT data, version FROM blackouts WHERE id = $1', [id]);
  const row = result.rows[0];
  return row ? { value: row.data, version: row.version } : null;
}

export async function blackoutsOfSector(db: Queryable, sectorId: string, span: Interval): Promise<Blackout[]> {
  const result = await db.query<{ data: Blackout }>(POSTGRES_HOT_QUERIES.blackoutsOfSector, [sectorId, span.start, span.end]);
  return result.rows.map((row) => row.data);
}

export async function waitlistEntry(db: Queryable, id: string): Promise<Versioned<WaitlistEntry> | null> {
  const result = await db.query<{ data: WaitlistEntry; version: number }>('SELECT data, version FROM waitlist WHERE id = $1', [id]);
  const row = result.rows[0];
  return row ? { value: row.data, version: row.version } : null;
}

export async function waitingEntries(db: Queryable, sectorId: string, fromDate: string): Promise<WaitlistEntry[]> {
  const result = await db.query<{ data: WaitlistEntry }>(POSTGRES_HOT_QUERIES.waitingEntries, [sectorId, fromDate]);
  return result.rows.map((row) => row.data);
}

export async function waitlistEntriesOfDay(db: Queryable, sectorId: string, date: string): Promise<WaitlistEntry[]> {
  const result = await db.query<{ data: WaitlistEntry }>(
    `SELECT data FROM waitlist WHERE (sector_id || ' ' || (data->>'date')) = $1 || ' ' || $2 ORDER BY created_at, id`,
    [sectorId, date],
  );
  return result.rows.map((row) => row.data);
}

export async function sectorsWithWaiting(db: Queryable, fromDate: string): Promise<string[]> {
  const result = await db.query<{ sector_id: string }>(POSTGRES_HOT_QUERIES.sectorsWithWaiting, [fromDate]);
  return result.rows.map((row) => row.sector_id);
}

export async function expiredHolds(db: Queryable, now: number, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>(POSTGRES_HOT_QUERIES.expiredHolds, [now, limit]);
  return result.rows.map((row) => row.id);
}

export async function dueNoShows(db: Queryable, now: number, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>(POSTGRES_HOT_QUERIES.dueNoShows, [now, limit]);
  return result.rows.map((row) => row.id);
}

export async function sectorRevision(db: Queryable, sectorId: string): Promise<number> {
  const result = await db.query<{ revision: number }>('SELECT revision FROM sector_revisions WHERE sector_id = $1', [sectorId]);
  return result.rows[0]?.revision ?? 0;
}

/** Readiness: one round trip that reads no table. */
export async function counts(db: Queryable): Promise<{ restaurants: number; sectors: number; tables: number; bookings: number }> {
  const result = await db.query<{ restaurants: string; sectors: string; tables: string; bookings: string }>(
    `SELECT (SELECT count(*) FROM restaurants) AS restaurants, (SELECT count(*) FROM sectors) AS sectors,
            (SELECT count(*) FROM tables) AS tables, (SELECT count(*) FROM bookings) AS bookings`,
  );
  const row = result.rows[0]!;
  return {
    restaurants: toNumber(row.restaurants),
    sectors: toNumber(row.sectors),
    tables: toNumber(row.tables),
    bookings: toNumber(row.bookings),
  };
}
