import type { Database, Statement } from 'better-sqlite3';
import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import type { Blackout } from '../../domain/blackouts/blackout.js';
import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import { sourceOfHolder } from '../../application/projections/seatClaims.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import type { Interval } from '../../domain/time/interval.js';
import {
  LONG_SEAT_MS,
  type ReadModel,
  type RestaurantAndSector,
  type SectorWithRevision,
  type Versioned,
} from '../../application/ports/readModel.js';
import { LONG_ROW } from './migrations.js';

type DataRow = { data: string };
type SeatRow = { booking_id: string; table_id: string; start_ms: number; end_ms: number };

const parse = <T>(row: unknown): T | null => (row ? (JSON.parse((row as DataRow).data) as T) : null);
const parseAll = <T>(rows: unknown[]): T[] => rows.map((row) => JSON.parse((row as DataRow).data) as T);

/**
 * The reads every discover, create and sweep makes, bounded so that they touch only
 * rows that can overlap the span (or are due), whatever the history. Named parameters:
 * `floor` is `start - LONG_SEAT_MS` (see `LONG_ROW`). Exported for the plan test.
 */
export const SQLITE_HOT_QUERIES = {
  // Seat rows exist only for seat-taking bookings and active blackouts, so this reads exactly the blocking ones.
  seatBlocks: `
    SELECT booking_id, table_id, start_ms, end_ms FROM booking_seats
    WHERE sector_id = @sectorId AND start_ms > @floor AND start_ms < @end AND end_ms > @start
    UNION ALL
    SELECT booking_id, table_id, start_ms, end_ms FROM booking_seats
    WHERE sector_id = @sectorId AND ${LONG_ROW} AND end_ms > @start AND start_ms <= @floor`,
  blackoutsOfSector: `
    SELECT data FROM (
      SELECT id, start_ms, data FROM blackouts
      WHERE sector_id = @sectorId AND start_ms > @floor AND start_ms < @end AND end_ms > @start AND status = 'ACTIVE'
      UNION ALL
      SELECT id, start_ms, data FROM blackouts
      WHERE sector_id = @sectorId AND ${LONG_ROW} AND end_ms > @start AND start_ms <= @floor AND status = 'ACTIVE'
    ) ORDER BY start_ms, id`,
  bookingsOfDay:
    'SELECT data FROM bookings WHERE sector_id = @sectorId AND date = @date AND restaurant_id = @restaurantId ORDER BY start_ms, id',
  waitingEntries: `SELECT data FROM waitlist WHERE status = 'WAITING' AND sector_id = @sectorId AND json_extract(data, '$.date') >= @fromDate
    ORDER BY created_at, id`,
  sectorsWithWaiting: `SELECT DISTINCT sector_id FROM waitlist WHERE status = 'WAITING' AND json_extract(data, '$.date') >= @fromDate
    ORDER BY sector_id`,
  expiredHolds: `
    SELECT id FROM bookings WHERE status = 'PENDING' AND json_extract(data, '$.holdExpiresAt') <= @now
    ORDER BY json_extract(data, '$.holdExpiresAt'), id LIMIT @limit`,
  dueNoShows: `
    SELECT id FROM bookings WHERE status = 'CONFIRMED' AND json_extract(data, '$.noShowDueAt') <= @now
    ORDER BY json_extract(data, '$.noShowDueAt'), id LIMIT @limit`,
} as const;

export class SqliteReadModel implements ReadModel {
  private readonly statements: Record<string, Statement>;

  constructor(db: Database) {
    this.statements = {
      restaurant: db.prepare('SELECT data FROM restaurants WHERE id = ?'),
      sector: db.prepare('SELECT data FROM sectors WHERE id = ?'),
      restaurantAndSector: db.prepare(
        `SELECT (SELECT data FROM restaurants WHERE id = @restaurantId) AS restaurant, (SELECT data FROM sectors WHERE id = @sectorId) AS sector,
                COALESCE((SELECT revision FROM sector_revisions WHERE sector_id = @sectorId), 0) AS revision`,
      ),
      sectorsOfRestaurant: db.prepare(
        `SELECT s.data, COALESCE(r.revision, 0) AS revision FROM sectors s LEFT JOIN sector_revisions r ON r.sector_id = s.id
         WHERE s.restaurant_id = ? ORDER BY s.id`,
      ),
      table: db.prepare('SELECT data FROM tables WHERE id = ?'),
      tablesOfSector: db.prepare('SELECT data FROM tables WHERE sector_id = ? ORDER BY id'),
      booking: db.prepare('SELECT data, version FROM bookings WHERE id = ?'),
      bookingsOfDay: db.prepare(SQLITE_HOT_QUERIES.bookingsOfDay),
      seatBlocks: db.prepare(SQLITE_HOT_QUERIES.seatBlocks),
      blackout: db.prepare('SELECT data, version FROM blackouts WHERE id = ?'),
      blackoutsOfSector: db.prepare(SQLITE_HOT_QUERIES.blackoutsOfSector),
      waitlistEntry: db.prepare('SELECT data, version FROM waitlist WHERE id = ?'),
      waitingEntries: db.prepare(SQLITE_HOT_QUERIES.waitingEntries),
      waitlistEntriesOfDay: db.prepare(
        `SELECT data FROM waitlist WHERE sector_id = @sectorId AND json_extract(data, '$.date') = @date ORDER BY created_at, id`,
      ),
      sectorsWithWaiting: db.prepare(SQLITE_HOT_QUERIES.sectorsWithWaiting),
      expiredHolds: db.prepare(SQLITE_HOT_QUERIES.expiredHolds),
      dueNoShows: db.prepare(SQLITE_HOT_QUERIES.dueNoShows),
      ping: db.prepare('SELECT 1'),
      sectorRevision: db.prepare('SELECT revision FROM sector_revisions WHERE sector_id = ?'),
      counts: db.prepare(
        `SELECT (SELECT COUNT(*) FROM restaurants) AS restaurants, (SELECT COUNT(*) FROM sectors) AS sectors,
                (SELECT COUNT(*) FROM tables) AS tables, (SELECT COUNT(*) FROM bookings) AS bookings`,
      ),
    };
  }

  private one(name: string, ...params: unknown[]): unknown {
    return this.statements[name]!.get(...params);
  }

  private all(name: string, ...params: unknown[]): unknown[] {
    return this.statements[name]!.all(...params);
  }

  async restaurant(id: string): Promise<Restaurant | null> {
    return parse(this.one('restaurant', id));
  }

  async sector(id: string): Promise<Sector | null> {
    return parse(this.one('sector', id));
  }

  async restaurantAndSector(restaurantId: string, sectorId: string, seatsOver?: Interval): Promise<RestaurantAndSector> {
    // The statements run back to back, with no await between: nothing of this process writes in between.
    const row = this.one('restaurantAndSector', { restaurantId, sectorId }) as {
      restaurant: string | null;
      sector: string | null;
      revision: number;
    };
    const restaurant = row.restaurant === null ? null : (JSON.parse(row.restaurant) as Restaurant);
    if (row.sector === null) return { restaurant, sector: null };
    const sector = { sector: JSON.parse(row.sector) as Sector, revision: row.revision };
    if (!seatsOver) return { restaurant, sector };
    return { restaurant, sector, seats: { span: seatsOver, ...this.tablesAndSeatBlocksNow(sectorId, seatsOver) } };
  }

  async sectorsOfRestaurant(restaurantId: string): Promise<SectorWithRevision[]> {
    return (this.all('sectorsOfRestaurant', restaurantId) as (DataRow & { revision: number })[]).map((row) => ({
      sector: JSON.parse(row.data) as Sector,
      revision: row.revision,
    }));
  }

  async table(id: string): Promise<Table | null> {
    return parse(this.one('table', id));
  }

  async tablesOfSector(sectorId: string): Promise<Table[]> {
    return parseAll(this.all('tablesOfSector', sectorId));
  }

  async booking(id: string): Promise<Versioned<Booking> | null> {
    const row = this.one('booking', id) as (DataRow & { version: number }) | undefined;
    return row ? { value: JSON.parse(row.data) as Booking, version: row.version } : null;
  }

  async bookingsOfDay(restaurantId: string, sectorId: string, date: string): Promise<Booking[]> {
    return parseAll(this.all('bookingsOfDay', { sectorId, date, restaurantId }));
  }

  async tablesAndSeatBlocks(sectorId: string, span: Interval): Promise<{ tables: Table[]; blocks: SeatBlock[] }> {
    return this.tablesAndSeatBlocksNow(sectorId, span);
  }

  private tablesAndSeatBlocksNow(sectorId: string, span: Interval): { tables: Table[]; blocks: SeatBlock[] } {
    return { tables: parseAll(this.all('tablesOfSector', sectorId)), blocks: this.seatBlocksNow(sectorId, span) };
  }

  async seatBlocks(sectorId: string, span: Interval): Promise<SeatBlock[]> {
    return this.seatBlocksNow(sectorId, span);
  }

  private seatBlocksNow(sectorId: string, span: Interval): SeatBlock[] {
    return (this.all('seatBlocks', bounded(sectorId, span)) as SeatRow[]).map((row) => ({
      tableId: row.table_id,
      start: row.start_ms,
      end: row.end_ms,
      source: sourceOfHolder(row.booking_id),
    }));
  }

  async blackout(id: string): Promise<Versioned<Blackout> | null> {
    const row = this.one('blackout', id) as (DataRow & { version: number }) | undefined;
    return row ? { value: JSON.parse(row.data) as Blackout, version: row.version } : null;
  }

  async blackoutsOfSector(sectorId: string, span: Interval): Promise<Blackout[]> {
    return parseAll(this.all('blackoutsOfSector', bounded(sectorId, span)));
  }

  async sectorRevision(sectorId: string): Promise<number> {
    return (this.one('sectorRevision', sectorId) as { revision: number } | undefined)?.revision ?? 0;
  }

  async waitlistEntry(id: string): Promise<Versioned<WaitlistEntry> | null> {
    const row = this.one('waitlistEntry', id) as (DataRow & { version: number }) | undefined;
    return row ? { value: JSON.parse(row.data) as WaitlistEntry, version: row.version } : null;
  }

  async waitingEntries(sectorId: string, fromDate: string): Promise<WaitlistEntry[]> {
    return parseAll(this.all('waitingEntries', { sectorId, fromDate }));
  }

  async waitlistEntriesOfDay(sectorId: string, date: string): Promise<WaitlistEntry[]> {
    return parseAll(this.all('waitlistEntriesOfDay', { sectorId, date }));
  }

  async sectorsWithWaiting(fromDate: string): Promise<string[]> {
    return (this.all('sectorsWithWaiting', { fromDate }) as { sector_id: string }[]).map((row) => row.sector_id);
  }

  async expiredHolds(now: number, limit: number): Promise<string[]> {
    return (this.all('expiredHolds', { now, limit }) as { id: string }[]).map((row) => row.id);
  }

  async dueNoShows(now: number, limit: number): Promise<string[]> {
    return (this.all('dueNoShows', { now, limit }) as { id: string }[]).map((row) => row.id);
  }

  async ping(): Promise<void> {
    this.one('ping');
  }

  async counts() {
    return this.one('counts') as { restaurants: number; sectors: number; tables: number; bookings: number };
  }
}

function bounded(sectorId: string, span: Interval) {
  return { sectorId, start: span.start, end: span.end, floor: span.start - LONG_SEAT_MS };
}
