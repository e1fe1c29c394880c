import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import { blocksSeats, type Blackout } from '../../domain/blackouts/blackout.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import { overlaps, type Interval } from '../../domain/time/interval.js';
import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import type { ReadModel, RestaurantAndSector, SectorWithRevision, Versioned } from '../../application/ports/readModel.js';
import { sourceOfHolder } from '../../application/projections/seatClaims.js';
import type { MemoryProjections } from './projections.js';

const byStartThenId = (a: { start: number; id: string }, b: { start: number; id: string }) => a.start - b.start || (a.id < b.id ? -1 : 1);

/** The use cases' queries over the memory projections; every answer is a copy. */
export class MemoryReadModel implements ReadModel {
  constructor(protected readonly projections: MemoryProjections) {}

  private get rows() {
    return this.projections.rows;
  }

  async restaurant(id: string): Promise<Restaurant | null> {
    return copy(this.rows.restaurant.get(id)?.value);
  }

  async sector(id: string): Promise<Sector | null> {
    return copy(this.rows.sector.get(id)?.value);
  }

  async restaurantAndSector(restaurantId: string, sectorId: string, seatsOver?: Interval): Promise<RestaurantAndSector> {
    const sector = await this.sector(sectorId);
    const restaurant = await this.restaurant(restaurantId);
    if (!sector) return { restaurant, sector: null };
    const found = { restaurant, sector: { sector, revision: await this.sectorRevision(sectorId) } };
    if (!seatsOver) return found;
    return {
      ...found,
      seats: { span: seatsOver, tables: await this.tablesOfSector(sectorId), blocks: await this.seatBlocks(sectorId, seatsOver) },
    };
  }

  async sectorsOfRestaurant(restaurantId: string): Promise<SectorWithRevision[]> {
    return [...this.rows.sector.values()]
      .map((row) => row.value)
      .filter((sector) => sector.restaurantId === restaurantId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((sector) => ({ sector: structuredClone(sector), revision: this.projections.revisions.get(sector.id) ?? 0 }));
  }

  async table(id: string): Promise<Table | null> {
    return copy(this.rows.table.get(id)?.value);
  }

  async tablesOfSector(sectorId: string): Promise<Table[]> {
    return [...(this.projections.tablesBySector.get(sectorId) ?? [])].map((id) => ({ ...this.rows.table.get(id)!.value }));
  }

  async booking(id: string): Promise<Versioned<Booking> | null> {
    return copy(this.rows.booking.get(id));
  }

  async bookingsOfDay(restaurantId: string, sectorId: string, date: string): Promise<Booking[]> {
    return [...(this.projections.bookingsBySector.get(sectorId) ?? [])]
      .map((id) => this.rows.booking.get(id)!.value)
      .filter((booking) => booking.restaurantId === restaurantId && booking.date === date)
      .sort(byStartThenId)
      .map((booking) => structuredClone(booking));
  }

  async tablesAndSeatBlocks(sectorId: string, span: Interval): Promise<{ tables: Table[]; blocks: SeatBlock[] }> {
    return { tables: await this.tablesOfSector(sectorId), blocks: await this.seatBlocks(sectorId, span) };
  }

  async seatBlocks(sectorId: string, span: Interval): Promise<SeatBlock[]> {
    const blocks: SeatBlock[] = [];
    for (const holder of this.projections.claimsBySector.get(sectorId) ?? []) {
      const claim = this.projections.claims.get(holder)!;
      if (!overlaps(claim, span)) continue;
      const source = sourceOfHolder(holder);
      for (const tableId of claim.tableIds) blocks.push({ tableId, start: claim.start, end: claim.end, source });
    }
    return blocks;
  }

  async sectorRevision(sectorId: string): Promise<number> {
    return this.projections.revisions.get(sectorId) ?? 0;
  }

  async blackout(id: string): Promise<Versioned<Blackout> | null> {
    return copy(this.rows.blackout.get(id));
  }

  async blackoutsOfSector(sectorId: string, span: Interval): Promise<Blackout[]> {
    return [...this.rows.blackout.values()]
      .map((row) => row.value)
      .filter((blackout) => blackout.sectorId === sectorId && blocksSeats(blackout) && overlaps(blackout, span))
      .sort(byStartThenId)
      .map((blackout) => structuredClone(blackout));
  }

  async waitlistEntry(id: string): Promise<Versioned<WaitlistEntry> | null> {
    return copy(this.rows.waitlistEntry.get(id));
  }

  async waitingEntries(sectorId: string, fromDate: string): Promise<WaitlistEntry[]> {
    return this.waiting(fromDate)
      .filter((entry) => entry.sectorId === sectorId)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((entry) => structuredClone(entry));
  }

  async waitlistEntriesOfDay(sectorId: string, date: string): Promise<WaitlistEntry[]> {
    return [...this.rows.waitlistEntry.values()]
      .map((row) => row.value)
      .filter((entry) => entry.sectorId === sectorId && entry.date === date)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((entry) => structuredClone(entry));
  }

  async sectorsWithWaiting(fromDate: string): Promise<string[]> {
    return [...new Set(this.waiting(fromDate).map((entry) => entry.sectorId))].sort();
  }

  async expiredHolds(now: number, limit: number): Promise<string[]> {
    return this.dueAmong(this.projections.pendingHolds, 'PENDING', 'holdExpiresAt', now, limit);
  }

  async dueNoShows(now: number, limit: number): Promise<string[]> {
    return this.dueAmong(this.projections.awaitingNoShow, 'CONFIRMED', 'noShowDueAt', now, limit);
  }

  /** Ids of the bookings among `ids`, still in `status`, whose `dueAt` instant has come by `now`: earliest first, then by id. */
  private dueAmong(
    ids: Iterable<string>,
    status: Booking['status'],
    dueAt: 'holdExpiresAt' | 'noShowDueAt',
    now: number,
    limit: number,
  ): string[] {
    return [...ids]
      .map((id) => this.rows.booking.get(id)!.value)
      .filter((booking) => booking.status === status && booking[dueAt] !== undefined && booking[dueAt] <= now)
      .sort((a, b) => a[dueAt]! - b[dueAt]! || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((booking) => booking.id);
  }

  async ping(): Promise<void> {}

  async counts() {
    return {
      restaurants: this.rows.restaurant.size,
      sectors: this.rows.sector.size,
      tables: this.rows.table.size,
      bookings: this.rows.booking.size,
    };
  }

  private waiting(fromDate: string): WaitlistEntry[] {
    return [...this.projections.waitingEntries]
      .map((id) => this.rows.waitlistEntry.get(id)!.value)
      .filter((entry) => entry.date >= fromDate);
  }
}

function copy<T extends object>(value: T | undefined): T | null {
  return value ? structuredClone(value) : null;
}
