import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import { windowsOfSector } from '../../domain/restaurants/restaurant.js';
import { durationForParty } from '../../domain/restaurants/stayLength.js';
import { startPreferenceOf, type StartPreference } from '../../domain/seating/candidateOrder.js';
import { discoverSeatings, type Candidate } from '../../domain/seating/discoverSeatings.js';
import { searchWindows, spanOf } from '../../domain/seating/searchWindow.js';
import type { Interval } from '../../domain/time/interval.js';
import { parseLocalTime } from '../../domain/time/localTime.js';
import { hasWholeMinuteOffset } from '../../domain/time/zone.js';
import { AppError } from '../../errors/catalogue.js';
import { readSectorState, type SectorState } from '../caches.js';
import type { ReadModel } from '../ports/readModel.js';
import type { RevisionCache } from '../revisionCache.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { mergeAcrossSectors } from './sectorRanking.js';

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
}

export interface SeatingSearch {
  partySize: number;
  durationMinutes: number;
  prefer: StartPreference;
  limit: number;
}

/** The restaurant and the sector named (404 for a sector of another restaurant), or every sector of the restaurant. */
export async function resolveScope(reads: ReadModel, restaurantId: string, sectorId: string | undefined): Promise<SeatingScope> {
  if (sectorId !== undefined) {
    const { restaurant, sector } = await requireSectorOf(reads, restaurantId, sectorId);
    return { restaurant, sectors: [{ sector }] };
  }
  const restaurant = await requireRestaurant(reads, restaurantId);
  return { restaurant, sectors: await reads.sectorsOfRestaurant(restaurantId) };
}

/** The stay asked for, or the one the restaurant's rules give the party, within the restaurant's range. */
export function stayLength(restaurant: Restaurant, request: SeatingRequest): number {
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

/** Where the request's stay may lie in one sector on a date: `null` when its window misses the sector's service hours. */
export function requestedArea(restaurant: Restaurant, sector: Sector, request: Pick<SeatingRequest, 'date' | 'windowStart' | 'windowEnd'>) {
  return searchWindows({
    zone: restaurant.timezone,
    date: request.date,
    serviceWindows: windowsOfSector(restaurant, sector),
    windowStart: request.windowStart === undefined ? undefined : parseLocalTime(request.windowStart)!,
    windowEnd: request.windowEnd === undefined ? undefined : parseLocalTime(request.windowEnd)!,
  });
}

/** The sector's tables and the blocks of the whole service day (flush stays depend on what lies just outside the guest's window). */
export async function readSectorDay(
  reads: ReadModel,
  stateCache: RevisionCache<SectorState>,
  restaurant: Restaurant,
  scoped: ScopedSector,
  service: Interval[],
): Promise<SectorDay> {
  const { tables, blocks } = await readSectorState(reads, stateCache, scoped.sector.id, spanOf(service), scoped.revision);
  return { sector: scoped.sector, zone: restaurant.timezone, service, tables, blocks };
}

/** One call of the engine: the sector's best seatings whose stay lies in `windows`, in WokiBrain order. */
export function seatingsIn(day: SectorDay, windows: readonly Interval[], search: SeatingSearch): SectorCandidate[] {
  const candidates = discoverSeatings({
    zone: day.zone,
    windows,
    service: day.service,
    prefer: search.prefer,
    partySize: search.partySize,
    durationMinutes: search.durationMinutes,
    tables: day.tables,
    blocks: day.blocks,
    limit: search.limit,
  });
  return candidates.map((candidate) => ({ ...candidate, sectorId: day.sector.id }));
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
  stateCache: RevisionCache<SectorState>,
  /** The scope, when the caller has resolved it (with the revisions it read first). */
  known?: SeatingScope,
): Promise<SeatingPlan> {
  const { restaurant, sectors } = known ?? (await resolveScope(reads, request.restaurantId, request.sectorId));
  const durationMinutes = stayLength(restaurant, request);
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
  const found = await Promise.all(
    open.map(async ({ scoped, area }) => {
      const day = await readSectorDay(reads, stateCache, restaurant, scoped, area.service);
      return { day, windows: area.windows, candidates: seatingsIn(day, area.windows, search) };
    }),
  );
  // One sector: the engine's own answer, as it always was; several: ranked together.
  const candidates = found.length === 1 ? found[0]!.candidates : mergeAcrossSectors(found, search);
  if (candidates.length === 0) {
    const where = request.sectorId === undefined ? `restaurant ${restaurant.id}` : `sector ${request.sectorId}`;
    throw new AppError(
      'no_capacity',
      `no table or combination in ${where} seats ${request.partySize} for ${durationMinutes} minutes in that window`,
    );
  }
  return { restaurant, durationMinutes, candidates };
}
