import { learnedStay } from './turnTimes.js';
import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import type { Channel, Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import { windowsOfSector } from '../../domain/restaurants/restaurant.js';
import { durationForParty } from '../../domain/restaurants/stayLength.js';
import { startPreferenceOf, type StartPreference } from '../../domain/seating/candidateOrder.js';
import { seatingsOnGridInSteps, stayGrid, type Candidate, type SeatingDay, type StayGrid } from '../../domain/seating/discoverSeatings.js';
import { restrictGrid } from '../../domain/seating/restrictGrid.js';
import { searchWindows, spanOf, type SearchWindows } from '../../domain/seating/searchWindow.js';
import type { Interval } from '../../domain/time/interval.js';
import { parseLocalTime } from '../../domain/time/localTime.js';
import { hasWholeMinuteOffset } from '../../domain/time/zone.js';
import { AppError } from '../../errors/catalogue.js';
import { gridOf, readSectorState, seatingDayOf, type ApplicationCaches } from '../caches.js';
import type { ReadModel } from '../ports/readModel.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { inSlices } from './engineSlices.js';
import { mergeAcrossSectors } from './sectorRanking.js';
import { SeatingLimiter, type SeatingLimits } from './seatingLimits.js';

export interface SeatingRequest {
  restaurantId: string;
  /** One sector; when absent, every sector of the restaurant is searched and the candidates ranked together. */
  sectorId?: string | undefined;
  date: string;
  partySize: number;
  /** When absent, the restaurant's duration rules decide. */
  durationMinutes?: number | undefined;
  windowStart?: string | undefined;
  windowEnd?: string | undefined;
  /** Whose seats these are: only tables open to the channel are used, and its pacing cap applies. Absent: `staff`. */
  channel?: Channel | undefined;
  /** Staff book past a full pacing interval (recorded on the booking with the actor). */
  pacingOverride?: boolean | undefined;
}

/** A candidate with the sector whose tables it uses. */
export interface SectorCandidate extends Candidate {
  sectorId: string;
}

/** A sector to search, with the revision its caller read before planning, when it did (see `readSectorState`). */
export interface ScopedSector {
  sector: Sector;
  revision?: number | undefined;
}

/** Where a request is searched: its restaurant, and the sector it names or every sector of the restaurant (by id). */
export interface SeatingScope {
  restaurant: Restaurant;
  sectors: readonly ScopedSector[];
}

export interface SeatingPlan {
  restaurant: Restaurant;
  durationMinutes: number;
  candidates: SectorCandidate[];
}

/** One sector's availability over one service date: what the engine reads. */
export interface SectorDay {
  sector: Sector;
  zone: string;
  /** The date's service windows of the sector, as instants. */
  service: Interval[];
  tables: readonly Table[];
  blocks: readonly SeatBlock[];
  /** Each table's free gaps in those service hours, kept with the sector state read (see `seatingDayOf`). */
  seating: SeatingDay;
  /** The engine's grid for stays of a length in some windows, kept per sector revision (see `gridOf`). */
  grid(windows: readonly Interval[], durationMinutes: number): StayGrid;
  /** What the request may use of it (channel, pacing); absent: everything. Applied to each grid searched, never kept in it. */
  limits?: SeatingLimits | undefined;
}

/** The memos planning reads through. */
export type PlanningCaches = Pick<ApplicationCaches, 'sectorState' | 'grids' | 'turnTimes'>;

export interface SeatingSearch {
  partySize: number;
  durationMinutes: number;
  prefer: StartPreference;
  limit: number;
}

/** The restaurant and the sector named (404 for a sector of another restaurant), or every sector of the restaurant. */
export async function resolveScope(reads: ReadModel, restaurantId: string, sectorId: string | undefined): Promise<SeatingScope> {
  if (sectorId !== undefined) {
    // The revision comes with the sector, and is read before the sector's state: no extra round trip.
    const { restaurant, sector, revision } = await requireSectorOf(reads, restaurantId, sectorId);
    return { restaurant, sectors: [{ sector, revision }] };
  }
  const restaurant = await requireRestaurant(reads, restaurantId);
  return { restaurant, sectors: await reads.sectorsOfRestaurant(restaurantId) };
}

/** The stay asked for, or the one the restaurant's rules give the party, within the restaurant's range. */
export function stayLength(restaurant: Restaurant, request: Pick<SeatingRequest, 'partySize' | 'durationMinutes'>): number {
  let durationMinutes = request.durationMinutes;
  if (durationMinutes === undefined) {
    if (!restaurant.durationRules) {
      throw new AppError('invalid_input', `restaurant ${restaurant.id} has no duration rules: give the duration`);
    }
    durationMinutes = durationForParty(restaurant.durationRules, request.partySize);
  }
  const { min, max } = restaurant.durationRange;
  if (durationMinutes < min || durationMinutes > max) {
    throw new AppError('invalid_input', `durationMinutes must be between ${min} and ${max} for this restaurant`);
  }
  return durationMinutes;
}

/** The request with the stay its restaurant has learned for it, when it learns stays and the request names none. */
export async function withLearnedStay<R extends Parameters<typeof learnedStay>[4]>(
  reads: ReadModel,
  caches: Pick<PlanningCaches, 'turnTimes'>,
  restaurant: Restaurant,
  sectors: readonly { sector: Sector }[],
  request: R,
): Promise<R> {
  const learned = await learnedStay(reads, caches.turnTimes, restaurant, sectors.length === 1 ? sectors[0]!.sector : undefined, request);
  return learned === undefined ? request : { ...request, durationMinutes: learned };
}

/** Requested areas already worked out, per sector object (see `requestedArea`). */
const areasBySector = new WeakMap<Sector, { restaurant: Restaurant; areas: Map<string, SearchWindows | null> }>();
/** Dates and windows remembered per sector: a few weeks of requests. */
const AREAS_PER_SECTOR = 256;

/**
 * Where the request's stay may lie in one sector on a date: `null` when its window
 * misses the sector's service hours. A pure function of the restaurant, the sector
 * and the three request fields, remembered per (restaurant, sector) object: the
 * sector memo (`pinSector`) hands out the same objects while they stand, and an
 * entity read afresh is a new object, so nothing is served for an object it was
 * not computed from. Callers treat the answer as read-only.
 */
export function requestedArea(
  restaurant: Restaurant,
  sector: Sector,
  request: Pick<SeatingRequest, 'date' | 'windowStart' | 'windowEnd'>,
): SearchWindows | null {
  let memo = areasBySector.get(sector);
  if (!memo || memo.restaurant !== restaurant) {
    memo = { restaurant, areas: new Map() };
    areasBySector.set(sector, memo);
  }
  const key = `${request.date}|${request.windowStart ?? ''}|${request.windowEnd ?? ''}`;
  let area = memo.areas.get(key);
  if (area === undefined) {
    area = searchWindows({
      zone: restaurant.timezone,
      date: request.date,
      serviceWindows: windowsOfSector(restaurant, sector),
      windowStart: request.windowStart === undefined ? undefined : parseLocalTime(request.windowStart)!,
      windowEnd: request.windowEnd === undefined ? undefined : parseLocalTime(request.windowEnd)!,
    });
    if (memo.areas.size >= AREAS_PER_SECTOR) memo.areas.clear();
    memo.areas.set(key, area);
  }
  return area;
}

/** The sector's tables and the blocks of the whole service day (flush stays depend on what lies just outside the guest's window). */
export async function readSectorDay(
  reads: ReadModel,
  caches: PlanningCaches,
  restaurant: Restaurant,
  scoped: ScopedSector,
  service: Interval[],
): Promise<SectorDay> {
  const state = await readSectorState(reads, caches.sectorState, scoped.sector.id, spanOf(service), scoped.revision);
  const seating = seatingDayOf(state, service);
  return {
    sector: scoped.sector,
    zone: restaurant.timezone,
    service,
    tables: state.tables,
    blocks: state.blocks,
    seating,
    grid: (windows, durationMinutes) => gridOf(caches.grids, state, seating, windows, durationMinutes),
  };
}

/**
 * One call of the engine: the sector's best seatings whose stay lies in `windows`,
 * in WokiBrain order — `discoverSeatings` on the sector's day, run in slices that
 * let other requests through (see `inSlices`). `keep: false` builds the grid
 * without keeping it, for one-off windows (alternatives probe many).
 */
export async function seatingsIn(
  day: SectorDay,
  windows: readonly Interval[],
  search: SeatingSearch,
  keep = true,
): Promise<SectorCandidate[]> {
  let grid = keep ? day.grid(windows, search.durationMinutes) : stayGrid(day.seating, windows, search.durationMinutes);
  // Only a request with limits pays for a restricted copy; the grid kept in the cache is never changed.
  if (day.limits) grid = restrictGrid(grid, { tables: day.limits.open, closedStarts: day.limits.overCap?.(grid.starts) });
  const steps = seatingsOnGridInSteps(grid, { zone: day.zone, prefer: search.prefer, partySize: search.partySize, limit: search.limit });
  const candidates = (await inSlices(steps)) as SectorCandidate[];
  // The engine's candidates are new objects, made for this call: named with their sector in place, not copied.
  for (const candidate of candidates) candidate.sectorId = day.sector.id;
  return candidates;
}

/**
 * The one path from a request to ranked candidates, shared by discover and create:
 * checks, service windows, current blocks, the engine — once per sector searched,
 * the sectors' candidates then ranked together (see `mergeAcrossSectors`). Throws
 * `no_capacity` when nothing fits.
 */
export async function planSeating(
  reads: ReadModel,
  request: SeatingRequest,
  limit: number,
  caches: PlanningCaches,
  /** The scope, when the caller has resolved it (with the revisions it read first). */
  known?: SeatingScope,
): Promise<SeatingPlan> {
  const { restaurant, sectors } = known ?? (await resolveScope(reads, request.restaurantId, request.sectorId));
  const durationMinutes = stayLength(restaurant, await withLearnedStay(reads, caches, restaurant, sectors, request));
  if (request.windowStart !== undefined && request.windowStart === request.windowEnd) {
    throw new AppError('invalid_input', 'windowStart and windowEnd must differ');
  }
  const open = sectors.flatMap((scoped) => {
    const area = requestedArea(restaurant, scoped.sector, request);
    return area ? [{ scoped, area }] : [];
  });
  if (open.length === 0 && sectors.length > 0) {
    throw new AppError('outside_service_window', `the requested window does not meet service hours on ${request.date}`);
  }
  for (const { area } of open) {
    if (!area.windows.every((window) => hasWholeMinuteOffset(restaurant.timezone, window.start))) {
      throw new AppError('invalid_input', `${restaurant.timezone} had no whole-minute UTC offset on ${request.date}`);
    }
  }
  const search = { partySize: request.partySize, durationMinutes, prefer: startPreferenceOf(request), limit };
  const limiter = new SeatingLimiter(reads, restaurant, request);
  const found = await Promise.all(
    open.map(async ({ scoped, area }) => {
      const day = await readSectorDay(reads, caches, restaurant, scoped, area.service);
      const limits = limiter.limitsOf(scoped.sector, day.tables, request.date);
      day.limits = limits instanceof Promise ? await limits : limits;
      return { day, windows: area.windows, candidates: await seatingsIn(day, area.windows, search) };
    }),
  );
  // One sector: the engine's own answer, as it always was; several: ranked together.
  const rank = (findings: typeof found) => (findings.length === 1 ? findings[0]!.candidates : mergeAcrossSectors(findings, search));
  const candidates = rank(found);
  if (candidates.length === 0) {
    const where = request.sectorId === undefined ? `restaurant ${restaurant.id}` : `sector ${request.sectorId}`;
    // Refused by pacing alone when the same tables, open to the channel, would seat the party with no cap.
    const paced = found.filter(({ day }) => day.limits?.overCap);
    if (paced.length > 0) {
      const uncapped = await Promise.all(
        found.map(async ({ day, windows }) => {
          const free = { ...day, limits: day.limits?.open ? { open: day.limits.open } : undefined };
          return { day: free, windows, candidates: await seatingsIn(free, windows, search) };
        }),
      );
      if (rank(uncapped).length > 0) {
        throw new AppError(
          'pacing_limit',
          `the kitchen's pace is full: no 15-minute interval in that window of ${where} takes ${request.partySize} more covers`,
        );
      }
    }
    throw new AppError(
      'no_capacity',
      `no table or combination in ${where} seats ${request.partySize} for ${durationMinutes} minutes in that window`,
    );
  }
  return { restaurant, durationMinutes, candidates };
}
