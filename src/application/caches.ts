import { TurnTimeMemo } from './queries/turnTimes.js';
import type { Clock } from './ports/runtime.js';
import type { SeatBlock } from '../domain/availability/seatBlock.js';
import type { Restaurant, Sector, Table } from '../domain/restaurants/restaurant.js';
import { seatingDay, stayGrid, type SeatingDay, type StayGrid } from '../domain/seating/discoverSeatings.js';
import type { Interval } from '../domain/time/interval.js';
import type { DiscoverResponse } from './contracts/bookings.js';
import type { ReadModel, RestaurantAndSector, SectorSeats, SectorWithRevision } from './ports/readModel.js';
import { RevisionCache } from './revisionCache.js';

/** What a sector looks like to the engine over one span, at the revision it was read under. */
export interface SectorState {
  sectorId: string;
  revision: number;
  tables: Table[];
  blocks: SeatBlock[];
  /** Per-table free gaps by service hours (`seatingDay`), built on first use and kept with the state they come from. */
  days: Map<string, SeatingDay>;
}

/** A sector with the restaurant it belongs to. */
export interface SectorContext {
  restaurant: Restaurant;
  sector: Sector;
}

/** A stay grid with the seating day it was built from. */
export interface KeptGrid {
  source: SeatingDay;
  grid: StayGrid;
}

/** Per-process memos, all keyed on sector revisions: a change anywhere in the sector retires them. */
export interface ApplicationCaches {
  discover: RevisionCache<DiscoverResponse>;
  sectorState: RevisionCache<SectorState>;
  /** The engine's grids (per table: free starts, flush, slack) by sector, service hours, windows and stay length (see `gridOf`). */
  grids: RevisionCache<KeptGrid>;
  /** Sectors and their restaurants, by sector id (see `pinSector`). */
  sectors: RevisionCache<SectorContext>;
  /** Learned turn times per restaurant that asks for them, read again every ten minutes. */
  turnTimes: TurnTimeMemo;
}

/** Sector states kept per process: one per sector and searched span in use. */
const SECTOR_STATE_ENTRIES = 1_000;
/**
 * Stay grids kept per process. A grid holds three arrays per table, as long as the
 * day's starts: about 50 KB for 100 tables and a whole day, so 256 stay under 15 MB.
 */
const GRID_ENTRIES = 256;
/** Service hours one sector state is searched under: one per date in practice. */
const DAYS_PER_STATE = 4;

export function createCaches(discoverEntries: number, clock: Clock): ApplicationCaches {
  return {
    turnTimes: new TurnTimeMemo(clock),
    discover: new RevisionCache(discoverEntries),
    sectorState: new RevisionCache(SECTOR_STATE_ENTRIES),
    grids: new RevisionCache(GRID_ENTRIES),
    sectors: new RevisionCache(SECTOR_STATE_ENTRIES),
  };
}

/**
 * The sector's tables and blocks over the span, read once per revision. A caller
 * that has just read the revision passes it, so that it is not read twice.
 */
export async function readSectorState(
  reads: ReadModel,
  cache: RevisionCache<SectorState>,
  sectorId: string,
  span: Interval,
  knownRevision?: number,
): Promise<SectorState> {
  const key = `${sectorId}|${span.start}|${span.end}`;
  // Read before the state: a change committed in between makes this entry stale at once.
  const revision = knownRevision ?? (await reads.sectorRevision(sectorId));
  const cached = cache.get(key, revision);
  if (cached) return cached;
  const { tables, blocks } = await reads.tablesAndSeatBlocks(sectorId, span);
  const state: SectorState = { sectorId, revision, tables, blocks, days: new Map() };
  cache.set(key, revision, state);
  return state;
}

const keyOfIntervals = (intervals: readonly Interval[]) => intervals.map(({ start, end }) => `${start}-${end}`).join(',');

/** The state's tables' free gaps in the service hours given (which its span holds), built once per state. */
export function seatingDayOf(state: SectorState, service: readonly Interval[]): SeatingDay {
  const key = keyOfIntervals(service);
  let day = state.days.get(key);
  if (!day) {
    if (state.days.size >= DAYS_PER_STATE) state.days.clear();
    day = seatingDay(service, state.tables, state.blocks);
    state.days.set(key, day);
  }
  return day;
}

/**
 * The engine's grid for stays of `durationMinutes` in `windows`, kept at the
 * state's revision: every party size, limit and preference asked of the same
 * sector, service day, window and stay length reuses it, until the sector's
 * revision moves. A grid is a pure function of the day and its two keys, so a
 * hit is exactly what building it again would give.
 */
export function gridOf(
  grids: RevisionCache<KeptGrid>,
  state: SectorState,
  day: SeatingDay,
  windows: readonly Interval[],
  durationMinutes: number,
): StayGrid {
  const key = `${state.sectorId}|${keyOfIntervals(day.service)}|${keyOfIntervals(windows)}|${durationMinutes}`;
  const cached = grids.get(key, state.revision);
  // The same revision read over again may have fetched a newer state (see `readSectorState`): only that state's own grid serves.
  if (cached && cached.source === day) return cached.grid;
  const grid = stayGrid(day, windows, durationMinutes);
  grids.set(key, state.revision, { source: day, grid });
  return grid;
}

/** A sector pinned at the revision just read: its restaurant, and a read model that answers both (and that revision) from memory. */
export interface PinnedSector extends SectorContext {
  revision: number;
  reads: ReadModel;
}

/**
 * Reads the sector's revision once, and serves the sector and its restaurant from
 * a memo kept per revision, so that a request that needs all three (discover: the
 * restaurant for its access check, the sector and restaurant again to plan) reads
 * the store once. `undefined` when the restaurant or the sector does not exist, or
 * the sector is another restaurant's: the caller takes its ordinary path, and its errors.
 *
 * Restaurants and sectors change through settings events (`RestaurantUpdated`,
 * `SectorUpdated`), whose projection moves the revision of every sector concerned
 * (a restaurant's: each of its sectors, listed in the event under the lock that
 * sector creation takes too), so this memo never serves what they were. Any other
 * event that ever changes them must do the same.
 */
export async function pinSector(
  reads: ReadModel,
  cache: RevisionCache<SectorContext>,
  restaurantId: string,
  sectorId: string,
): Promise<PinnedSector | undefined> {
  let revision = await reads.sectorRevision(sectorId);
  let context = cache.get(sectorId, revision);
  if (!context) {
    const found = await reads.restaurantAndSector(restaurantId, sectorId);
    if (!found.restaurant || !found.sector || found.sector.sector.restaurantId !== restaurantId) return undefined;
    // Kept under the revision read with them, which a change since the first read has moved.
    ({ revision } = found.sector);
    context = { restaurant: found.restaurant, sector: found.sector.sector };
    cache.set(sectorId, revision, context);
  }
  const { restaurant, sector } = context;
  if (restaurant.id !== restaurantId) return undefined;
  return { restaurant, sector, revision, reads: new PinnedReads(reads, { ...context, revision }) };
}

/**
 * The store's read model, except that this restaurant, and this sector at its revision
 * (with its seats over a span, when they were read with it), come from what was just
 * read (for one request).
 */
export function readsKnowing(
  reads: ReadModel,
  restaurant: Restaurant,
  sector?: SectorWithRevision & { seats?: SectorSeats | undefined },
): ReadModel {
  return new PinnedReads(reads, { restaurant, ...sector });
}

/**
 * The store's read model, except that a restaurant, and possibly one of its sectors
 * with its revision and its seats over one span, come from what was just read. Lives
 * as long as one request.
 */
class PinnedReads implements ReadModel {
  constructor(
    private readonly store: ReadModel,
    private readonly pinned: { restaurant: Restaurant; sector?: Sector; revision?: number; seats?: SectorSeats | undefined },
  ) {}

  async restaurant(id: string): Promise<Restaurant | null> {
    return id === this.pinned.restaurant.id ? this.pinned.restaurant : this.store.restaurant(id);
  }
  async sector(id: string): Promise<Sector | null> {
    return id === this.pinned.sector?.id ? this.pinned.sector : this.store.sector(id);
  }
  async restaurantAndSector(restaurantId: string, sectorId: string, seatsOver?: Interval): Promise<RestaurantAndSector> {
    const sector = this.pinnedSector(sectorId);
    const { restaurant } = this.pinned;
    if (!sector || restaurantId !== restaurant.id) return this.store.restaurantAndSector(restaurantId, sectorId, seatsOver);
    if (!seatsOver) return { restaurant, sector };
    const seats = this.pinnedSeats(sectorId, seatsOver);
    return seats ? { restaurant, sector, seats } : this.store.restaurantAndSector(restaurantId, sectorId, seatsOver);
  }
  async sectorRevision(sectorId: string): Promise<number> {
    return this.pinnedSector(sectorId)?.revision ?? this.store.sectorRevision(sectorId);
  }
  /** The pinned sector with its revision, when that is the one asked for and its revision was pinned. */
  private pinnedSector(sectorId: string): SectorWithRevision | undefined {
    const { sector, revision } = this.pinned;
    return sectorId === sector?.id && revision !== undefined ? { sector, revision } : undefined;
  }
  /** The pinned sector's seats, when read with its revision over exactly this span. */
  private pinnedSeats(sectorId: string, span: Interval): SectorSeats | undefined {
    const { seats } = this.pinned;
    return seats && this.pinnedSector(sectorId) && seats.span.start === span.start && seats.span.end === span.end ? seats : undefined;
  }
  sectorsOfRestaurant(restaurantId: string) {
    return this.store.sectorsOfRestaurant(restaurantId);
  }
  tablesOfSector(sectorId: string) {
    return this.store.tablesOfSector(sectorId);
  }
  table(id: string) {
    return this.store.table(id);
  }
  booking(id: string) {
    return this.store.booking(id);
  }
  bookingsOfDay(restaurantId: string, sectorId: string, date: string) {
    return this.store.bookingsOfDay(restaurantId, sectorId, date);
  }
  seatBlocks(sectorId: string, span: Interval) {
    return this.store.seatBlocks(sectorId, span);
  }
  async tablesAndSeatBlocks(sectorId: string, span: Interval): Promise<{ tables: Table[]; blocks: SeatBlock[] }> {
    const seats = this.pinnedSeats(sectorId, span);
    return seats ? { tables: seats.tables, blocks: seats.blocks } : this.store.tablesAndSeatBlocks(sectorId, span);
  }
  blackout(id: string) {
    return this.store.blackout(id);
  }
  blackoutsOfSector(sectorId: string, span: Interval) {
    return this.store.blackoutsOfSector(sectorId, span);
  }
  waitlistEntry(id: string) {
    return this.store.waitlistEntry(id);
  }
  waitingEntries(sectorId: string, fromDate: string) {
    return this.store.waitingEntries(sectorId, fromDate);
  }
  waitlistEntriesOfDay(sectorId: string, date: string) {
    return this.store.waitlistEntriesOfDay(sectorId, date);
  }
  sectorsWithWaiting(fromDate: string) {
    return this.store.sectorsWithWaiting(fromDate);
  }
  expiredHolds(now: number, limit: number) {
    return this.store.expiredHolds(now, limit);
  }
  dueNoShows(now: number, limit: number) {
    return this.store.dueNoShows(now, limit);
  }
  counts() {
    return this.store.counts();
  }
}
