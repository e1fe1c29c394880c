import type { Database, Statement } from 'better-sqlite3';
import type { Booking } from '../../domain/bookings/booking.js';
import { takesSeats } from '../../domain/bookings/booking.js';
import { bookingIdOf, evolveBooking } from '../../domain/bookings/bookingEvents.js';
import { entryIdOf, evolveEntry, isWaitlistEvent, type WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import { blackoutIdOf, blocksSeats, evolveBlackout, isBlackoutEvent, type Blackout } from '../../domain/blackouts/blackout.js';
import { BLACKOUT_HOLDER_PREFIX, type DomainEvent, type StoredEvent } from '../../application/ports/eventStore.js';

export const PROJECTION_TABLES = ['restaurants', 'sectors', 'tables', 'bookings', 'booking_seats', 'blackouts', 'waitlist'] as const;

/** Run after emptying the projections: revisions only grow, so no cached answer outlives a rebuild. */
export const OUTDATE_REVISIONS = 'UPDATE sector_revisions SET revision = revision + 1000000';

/** Seats one booking (holder = its id) or blackout (holder = `blackout:<id>`) takes. */
export interface SeatClaim {
  holder: string;
  sectorId: string;
  tableIds: string[];
  start: number;
  end: number;
}

/** The trigger on booking_seats refused this claim. */
export class RefusedSeats extends Error {
  constructor(readonly claim: SeatClaim) {
    super(`seats refused for ${claim.holder}`);
  }
}

/** Applies events to the read tables; runs inside the transaction that appends them. */
export class SqliteProjections {
  private readonly putRestaurant: Statement;
  private readonly putSector: Statement;
  private readonly putTable: Statement;
  private readonly putBooking: Statement;
  private readonly getBooking: Statement;
  private readonly putSeat: Statement;
  private readonly dropSeats: Statement;
  private readonly bumpRevision: Statement;
  private readonly putBlackout: Statement;
  private readonly getBlackout: Statement;
  private readonly putEntry: Statement;
  private readonly pendingSeats = new Map<string, SeatClaim>();
  private readonly getEntry: Statement;

  constructor(db: Database) {
    // A later event about the same entity replaces what the projection holds.
    this.putRestaurant = db.prepare('INSERT OR REPLACE INTO restaurants (id, data) VALUES (?, ?)');
    this.putSector = db.prepare('INSERT OR REPLACE INTO sectors (id, restaurant_id, data) VALUES (?, ?, ?)');
    this.putTable = db.prepare('INSERT OR REPLACE INTO tables (id, sector_id, data) VALUES (?, ?, ?)');
    this.putBooking = db.prepare(
      `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
       VALUES (@id, @restaurantId, @sectorId, @date, @status, @start, @end, @version, @data)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, data = excluded.data`,
    );
    this.getBooking = db.prepare('SELECT data FROM bookings WHERE id = ?');
    this.putSeat = db.prepare('INSERT INTO booking_seats (booking_id, table_id, sector_id, start_ms, end_ms) VALUES (?, ?, ?, ?, ?)');
    this.dropSeats = db.prepare('DELETE FROM booking_seats WHERE booking_id = ?');
    this.putBlackout = db.prepare(
      `INSERT OR REPLACE INTO blackouts (id, sector_id, status, start_ms, end_ms, version, data)
       VALUES (@id, @sectorId, @status, @start, @end, @version, @data)`,
    );
    this.getBlackout = db.prepare('SELECT data FROM blackouts WHERE id = ?');
    this.putEntry = db.prepare(
      `INSERT OR REPLACE INTO waitlist (id, sector_id, status, created_at, version, data)
       VALUES (@id, @sectorId, @status, @createdAt, @version, @data)`,
    );
    this.getEntry = db.prepare('SELECT data FROM waitlist WHERE id = ?');
    this.bumpRevision = db.prepare(
      `INSERT INTO sector_revisions (sector_id, revision) VALUES (?, 1)
       ON CONFLICT (sector_id) DO UPDATE SET revision = revision + 1`,
    );
  }

  apply(stored: StoredEvent): void {
    const event = { type: stored.type, data: stored.data } as DomainEvent;
    if (isWaitlistEvent(event)) {
      const row = this.getEntry.get(entryIdOf(event)) as { data: string } | undefined;
      const next = evolveEntry(row ? (JSON.parse(row.data) as WaitlistEntry) : null, event);
      if (next) this.putEntry.run({ ...next, version: stored.version, data: JSON.stringify(next) });
      return;
    }
    if (isBlackoutEvent(event)) {
      const row = this.getBlackout.get(blackoutIdOf(event)) as { data: string } | undefined;
      const next = evolveBlackout(row ? (JSON.parse(row.data) as Blackout) : null, event);
      if (next) this.saveBlackout(next, stored.version);
      return;
    }
    switch (event.type) {
      case 'RestaurantRegistered':
        this.putRestaurant.run(event.data.restaurant.id, JSON.stringify(event.data.restaurant));
        return;
      case 'SectorAdded':
        this.putSector.run(event.data.sector.id, event.data.sector.restaurantId, JSON.stringify(event.data.sector));
        return;
      case 'TableAdded':
        this.putTable.run(event.data.table.id, event.data.table.sectorId, JSON.stringify(event.data.table));
        this.bumpRevision.run(event.data.table.sectorId);
        return;
      default: {
        const row = this.getBooking.get(bookingIdOf(event)) as { data: string } | undefined;
        const next = evolveBooking(row ? (JSON.parse(row.data) as Booking) : null, event);
        if (next) this.saveBooking(next, stored.version);
        return;
      }
    }
  }

  private saveBooking(booking: Booking, version: number): void {
    this.putBooking.run({ ...booking, version, data: JSON.stringify(booking) });
    this.holdSeats(booking.id, booking, takesSeats(booking.status));
  }

  private saveBlackout(blackout: Blackout, version: number): void {
    this.putBlackout.run({ ...blackout, version, data: JSON.stringify(blackout) });
    this.holdSeats(BLACKOUT_HOLDER_PREFIX + blackout.id, blackout, blocksSeats(blackout));
  }

  /** Releases a holder's seat rows now and queues the ones it holds after this event, for `flushSeats`. */
  private holdSeats(
    holder: string,
    owner: { sectorId: string; tableIds: readonly string[]; start: number; end: number },
    holds: boolean,
  ): void {
    this.bumpRevision.run(owner.sectorId);
    this.dropSeats.run(holder);
    this.pendingSeats.delete(holder);
    if (holds)
      this.pendingSeats.set(holder, {
        holder,
        sectorId: owner.sectorId,
        tableIds: [...owner.tableIds],
        start: owner.start,
        end: owner.end,
      });
  }

  /**
   * Writes the queued seat rows. Run once the whole append is projected, the
   * trigger judges the seats as the append leaves them (repack may swap tables);
   * a refusal throws `RefusedSeats` naming the claim.
   */
  flushSeats(): void {
    try {
      for (const claim of this.pendingSeats.values()) {
        try {
          for (const tableId of claim.tableIds) this.putSeat.run(claim.holder, tableId, claim.sectorId, claim.start, claim.end);
        } catch (error) {
          if (error instanceof Error && error.message.includes('seat_conflict')) throw new RefusedSeats(claim);
          throw error;
        }
      }
    } finally {
      this.pendingSeats.clear();
    }
  }
}
