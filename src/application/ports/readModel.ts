import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import type { Blackout } from '../../domain/blackouts/blackout.js';
import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import type { Interval } from '../../domain/time/interval.js';
import { MAX_STAY_MINUTES } from '../../domain/restaurants/restaurant.js';

/**
 * What bounds every range read of the stores from below: a seat row no longer than
 * this that overlaps an instant started less than this long before it. Rows longer
 * than this (long blackouts) are few and read through an index of their own, so the
 * bound is a matter of speed, never of correctness.
 */
export const LONG_SEAT_MS = MAX_STAY_MINUTES * 60_000;

export interface Versioned<T> {
  value: T;
  version: number;
}

export interface SectorWithRevision {
  sector: Sector;
  revision: number;
}

/** A sector's tables and the blocks on them over a span, as `tablesAndSeatBlocks` gives them. */
export interface SectorSeats {
  span: Interval;
  tables: Table[];
  blocks: SeatBlock[];
}

/** A restaurant and a sector with its revision, as one statement read them; each null when absent. */
export interface RestaurantAndSector {
  restaurant: Restaurant | null;
  /** Whatever restaurant it belongs to: the caller checks that it is this one's. */
  sector: SectorWithRevision | null;
  /** When asked for and the sector exists: its seats, read with its revision (no older than it). */
  seats?: SectorSeats;
}

/** Projections of the event log, as the use cases query them. */
export interface ReadModel {
  restaurant(id: string): Promise<Restaurant | null>;
  sector(id: string): Promise<Sector | null>;
  /**
   * Every sector of the restaurant, by id, each with its `sectorRevision` read in
   * the same query: what a request that names no sector searches, and keys its
   * cached answer on. Empty for a restaurant with no sectors (or none at all).
   */
  sectorsOfRestaurant(restaurantId: string): Promise<SectorWithRevision[]>;
  /**
   * The restaurant, and one sector with its revision, read in one statement (one
   * round trip where the store is across a network): what a create or a discover
   * for one sector reads first. With `seatsOver`, the sector's tables and seat blocks
   * over that span come in the same read, after the revision: a create that guessed
   * its span plans on them without another round trip.
   */
  restaurantAndSector(restaurantId: string, sectorId: string, seatsOver?: Interval): Promise<RestaurantAndSector>;
  tablesOfSector(sectorId: string): Promise<Table[]>;
  table(id: string): Promise<Table | null>;
  booking(id: string): Promise<Versioned<Booking> | null>;
  bookingsOfDay(restaurantId: string, sectorId: string, date: string): Promise<Booking[]>;
  /**
   * What keeps the sector's tables over the span: one block per table per
   * seat-taking booking or active blackout that overlaps it. The hot read of every
   * discover and create.
   */
  seatBlocks(sectorId: string, span: Interval): Promise<SeatBlock[]>;
  /** `tablesOfSector` and `seatBlocks` together: one round trip where the store is across a network. */
  tablesAndSeatBlocks(sectorId: string, span: Interval): Promise<{ tables: Table[]; blocks: SeatBlock[] }>;
  /**
   * A number that changes whenever anything that decides the sector's availability
   * does (a booking seated or released, a table added). Cached answers are keyed on it.
   */
  sectorRevision(sectorId: string): Promise<number>;
  blackout(id: string): Promise<Versioned<Blackout> | null>;
  /** Active blackouts of the sector that overlap the span, by start then id. */
  blackoutsOfSector(sectorId: string, span: Interval): Promise<Blackout[]>;
  waitlistEntry(id: string): Promise<Versioned<WaitlistEntry> | null>;
  /** WAITING entries of the sector for service dates from `fromDate` on, earliest first (createdAt, then id). */
  waitingEntries(sectorId: string, fromDate: string): Promise<WaitlistEntry[]>;
  /**
   * Every entry of the sector for the service date, whatever its status, earliest
   * first (createdAt, then id): what the day report counts. Not a hot path: a
   * manager's report, read by sector.
   */
  waitlistEntriesOfDay(sectorId: string, date: string): Promise<WaitlistEntry[]>;
  /** Sectors that have WAITING entries, for the sweeper that promotes them. */
  sectorsWithWaiting(fromDate: string): Promise<string[]>;
  /** Ids of PENDING holds whose time ran out by `now`, oldest expiry first. */
  expiredHolds(now: number, limit: number): Promise<string[]>;
  /** Ids of CONFIRMED bookings whose no-show grace ran out by `now` (see `Booking.noShowDueAt`), earliest first. */
  dueNoShows(now: number, limit: number): Promise<string[]>;
  /** Whole-table counts for `/admin/info`: they scan, so never on a probe or a hot path. */
  counts(): Promise<{ restaurants: number; sectors: number; tables: number; bookings: number }>;
}

/** What readiness asks of the store: one trivial round trip (`SELECT 1`), whatever its size. */
export interface StoreProbe {
  ping(): Promise<void>;
}
