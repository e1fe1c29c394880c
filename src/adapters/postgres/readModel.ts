import type { Booking } from '../../domain/bookings/booking.js';
import { SEAT_TAKING_STATUSES } from '../../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import type { Interval } from '../../domain/time/interval.js';
import type { Versioned } from '../../application/ports/readModel.js';
import { toNumber, type Queryable } from './db.js';

/** Reads of the projection tables; every entity is kept whole in `data`. */
export async function findRestaurant(db: Queryable, id: string): Promise<Restaurant | null> {
  const result = await db.query<{ data: Restaurant }>('SELECT data FROM restaurants WHERE id = $1', [id]);
  return result.rows[0]?.data ?? null;
}

export async function findSector(db: Queryable, id: string): Promise<Sector | null> {
  const result = await db.query<{ data: Sector }>('SELECT data FROM sectors WHERE id = $1', [id]);
  return result.rows[0]?.data ?? null;
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
  const result = await db.query<{ data: Booking }>(
    `SELECT data FROM bookings WHERE sector_id = $1 AND date = $2 AND restaurant_id = $3
     ORDER BY start_ms, id COLLATE "C"`,
    [sectorId, date, restaurantId],
  );
  return result.rows.map((row) => row.data);
}

/** Seat-taking bookings of the sector overlapping the half-open span, by start then id. */
export async function seatTakingBookings(db: Queryable, sectorId: string, span: Interval): Promise<Booking[]> {
  const result = await db.query<{ data: Booking }>(
    `SELECT data FROM bookings
     WHERE sector_id = $1 AND status = ANY($2::text[]) AND start_ms < $4 AND end_ms > $3
     ORDER BY start_ms, id COLLATE "C"`,
    [sectorId, [...SEAT_TAKING_STATUSES], span.start, span.end],
  );
  return result.rows.map((row) => row.data);
}

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
