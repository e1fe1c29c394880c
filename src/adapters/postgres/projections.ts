import type { Booking } from '../../domain/bookings/booking.js';
import { takesSeats } from '../../domain/bookings/booking.js';
import { bookingIdOf, evolveBooking, isBookingEvent, isBookingOpened } from '../../domain/bookings/bookingEvents.js';
import { entryIdOf, evolveEntry, isWaitlistEvent, type WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import { blackoutIdOf, blocksSeats, evolveBlackout, isBlackoutEvent, type Blackout } from '../../domain/blackouts/blackout.js';
import { BLACKOUT_HOLDER_PREFIX, streams, type DomainEvent, type StoredEvent } from '../../application/ports/eventStore.js';
import { toNumber, type Queryable } from './db.js';

/** Seats held by a booking (holder = its id) or a blackout (holder = `blackout:<id>`). */
export interface SeatClaim {
  holder: string;
  sectorId: string;
  tableIds: readonly string[];
  start: number;
  end: number;
}

/** What projecting one append changed that error translation must know. */
export interface ProjectionTrail {
  /** Seat claims written so far, in order. */
  seated: SeatClaim[];
  /** Holders whose seats this append released. */
  released: Set<string>;
  /** The claim being written when the database refused it. */
  attempted: SeatClaim | null;
  /** Seat rows to write once the whole append is projected (see `flushSeats`). */
  pending: Map<string, SeatClaim>;
}

export function newTrail(): ProjectionTrail {
  return { seated: [], released: new Set(), attempted: null, pending: new Map() };
}

/**
 * Folds one stored event into the projection tables, on the connection (and so
 * in the transaction) that appended it. Seat rows may raise an exclusion
 * violation (23P01): the database refusing a double booking.
 */
export async function project(db: Queryable, entry: StoredEvent, trail: ProjectionTrail = newTrail()): Promise<void> {
  const event = { type: entry.type, data: entry.data } as DomainEvent;
  if (isWaitlistEvent(event)) {
    const found = await db.query<{ data: WaitlistEntry }>('SELECT data FROM waitlist WHERE id = $1 FOR UPDATE', [entryIdOf(event)]);
    const next = evolveEntry(found.rows[0]?.data ?? null, event);
    if (!next) return;
    await db.query(
      `INSERT INTO waitlist (id, sector_id, status, created_at, version, data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, version = EXCLUDED.version, data = EXCLUDED.data`,
      [next.id, next.sectorId, next.status, next.createdAt, entry.version, JSON.stringify(next)],
    );
    return;
  }
  if (isBlackoutEvent(event)) {
    const found = await db.query<{ data: Blackout }>('SELECT data FROM blackouts WHERE id = $1 FOR UPDATE', [blackoutIdOf(event)]);
    const next = evolveBlackout(found.rows[0]?.data ?? null, event);
    if (!next) return;
    await db.query(
      `INSERT INTO blackouts (id, sector_id, status, start_ms, end_ms, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms,
         version = EXCLUDED.version, data = EXCLUDED.data`,
      [next.id, next.sectorId, next.status, next.start, next.end, entry.version, JSON.stringify(next)],
    );
    await holdSeats(db, { holder: BLACKOUT_HOLDER_PREFIX + next.id, ...next }, blocksSeats(next), trail);
    return;
  }
  switch (event.type) {
    case 'RestaurantRegistered': {
      const { restaurant } = event.data;
      await db.query(
        `INSERT INTO restaurants (id, version, data) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data`,
        [restaurant.id, entry.version, JSON.stringify(restaurant)],
      );
      return;
    }
    case 'SectorAdded': {
      const { sector } = event.data;
      await db.query(
        `INSERT INTO sectors (id, restaurant_id, version, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET restaurant_id = EXCLUDED.restaurant_id, version = EXCLUDED.version, data = EXCLUDED.data`,
        [sector.id, sector.restaurantId, entry.version, JSON.stringify(sector)],
      );
      return;
    }
    case 'TableAdded': {
      const { table } = event.data;
      await db.query(
        `INSERT INTO tables (id, sector_id, version, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET sector_id = EXCLUDED.sector_id, version = EXCLUDED.version, data = EXCLUDED.data`,
        [table.id, table.sectorId, entry.version, JSON.stringify(table)],
      );
      await bumpSectorRevision(db, table.sectorId);
      return;
    }
    default: {
      if (!isBookingEvent(event)) return;
      if (isBookingOpened(event)) {
        const booking = evolveBooking(null, event)!;
        await writeBooking(db, booking, await bookingVersion(db, booking.id, entry), trail);
        return;
      }
      const found = await db.query<{ data: Booking }>('SELECT data FROM bookings WHERE id = $1 FOR UPDATE', [bookingIdOf(event)]);
      const next = evolveBooking(found.rows[0]?.data ?? null, event);
      if (next) await writeBooking(db, next, await bookingVersion(db, next.id, entry), trail);
      return;
    }
  }
}

/** The booking's stream version, which `ReadModel.booking` reports. */
async function bookingVersion(db: Queryable, bookingId: string, entry: StoredEvent): Promise<number> {
  const stream = streams.booking(bookingId);
  if (entry.stream === stream) return entry.version;
  const result = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM events WHERE stream = $1', [stream]);
  return result.rows[0]?.version ?? 0;
}

/** Upserts the booking row and makes its seat rows match its status. */
async function writeBooking(db: Queryable, booking: Booking, version: number, trail: ProjectionTrail): Promise<void> {
  await db.query(
    `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET
       restaurant_id = EXCLUDED.restaurant_id, sector_id = EXCLUDED.sector_id, date = EXCLUDED.date,
       status = EXCLUDED.status, start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms,
       version = EXCLUDED.version, data = EXCLUDED.data`,
    [
      booking.id,
      booking.restaurantId,
      booking.sectorId,
      booking.date,
      booking.status,
      booking.start,
      booking.end,
      version,
      JSON.stringify(booking),
    ],
  );
  await holdSeats(db, { holder: booking.id, ...booking }, takesSeats(booking.status), trail);
}

/**
 * Releases a holder's seat rows now and queues the ones it holds after this
 * event: they are written by `flushSeats` once the whole append is projected.
 */
async function holdSeats(db: Queryable, claim: SeatClaim, holds: boolean, trail: ProjectionTrail): Promise<void> {
  await bumpSectorRevision(db, claim.sectorId);
  const released = await db.query('DELETE FROM booking_seats WHERE booking_id = $1', [claim.holder]);
  trail.pending.delete(claim.holder);
  if (!holds) {
    if ((released.rowCount ?? 0) > 0) trail.released.add(claim.holder);
    return;
  }
  trail.released.delete(claim.holder);
  trail.pending.set(claim.holder, {
    holder: claim.holder,
    sectorId: claim.sectorId,
    tableIds: claim.tableIds,
    start: claim.start,
    end: claim.end,
  });
}

/**
 * Writes the queued seat rows. Run at the end of an append, the exclusion
 * constraint judges the seats as the whole append leaves them — so repack may swap
 * tables between bookings — and may refuse one here (23P01, `trail.attempted`).
 */
export async function flushSeats(db: Queryable, trail: ProjectionTrail): Promise<void> {
  for (const claim of trail.pending.values()) {
    // Sorted, so that two transactions seating the same tables queue instead of deadlocking.
    const tableIds = [...new Set(claim.tableIds)].sort();
    trail.attempted = claim;
    await db.query(
      `INSERT INTO booking_seats (booking_id, table_id, sector_id, during)
       SELECT $1, table_id, $2, int8range($3::bigint, $4::bigint) FROM unnest($5::text[]) AS table_id`,
      [claim.holder, claim.sectorId, claim.start, claim.end, tableIds],
    );
    trail.attempted = null;
    trail.seated.push(claim);
  }
  trail.pending.clear();
}

async function bumpSectorRevision(db: Queryable, sectorId: string): Promise<void> {
  await db.query(
    `INSERT INTO sector_revisions (sector_id, revision) VALUES ($1, 1)
     ON CONFLICT (sector_id) DO UPDATE SET revision = sector_revisions.revision + 1`,
    [sectorId],
  );
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
