import type { Restaurant, Sector } from '../../domain/restaurants/restaurant.js';
import { windowsOfSector } from '../../domain/restaurants/restaurant.js';
import { durationForParty } from '../../domain/restaurants/stayLength.js';
import { startPreferenceOf } from '../../domain/seating/candidateOrder.js';
import { discoverSeatings, type Candidate } from '../../domain/seating/discoverSeatings.js';
import { searchWindows, spanOf } from '../../domain/seating/searchWindow.js';
import { parseLocalTime } from '../../domain/time/localTime.js';
import { hasWholeMinuteOffset } from '../../domain/time/zone.js';
import { AppError } from '../../errors/catalogue.js';
import { readSectorState, type SectorState } from '../caches.js';
import type { ReadModel } from '../ports/readModel.js';
import type { RevisionCache } from '../revisionCache.js';
import { requireSectorOf } from '../lookups.js';

export interface SeatingRequest {
  restaurantId: string;
  sectorId: string;
  date: string;
  partySize: number;
  /** When absent, the restaurant's duration rules decide. */
  durationMinutes?: number | undefined;
  windowStart?: string | undefined;
  windowEnd?: string | undefined;
}

export interface SeatingPlan {
  restaurant: Restaurant;
  sector: Sector;
  durationMinutes: number;
  candidates: Candidate[];
}

/** The stay asked for, or the one the restaurant's rules give the party. */
function stayLength(restaurant: Restaurant, request: SeatingRequest): number {
  if (request.durationMinutes !== undefined) return request.durationMinutes;
  if (!restaurant.durationRules) {
    throw new AppError('invalid_input', `restaurant ${restaurant.id} has no duration rules: give the duration`);
  }
  return durationForParty(restaurant.durationRules, request.partySize);
}

/**
 * The one path from a request to ranked candidates, shared by discover and create:
 * checks, service windows, current blocks, the engine. Throws `no_capacity` when
 * nothing fits.
 */
export async function planSeating(
  reads: ReadModel,
  request: SeatingRequest,
  limit: number,
  stateCache: RevisionCache<SectorState>,
  /** The sector revision the caller read before this plan, if any. */
  revision?: number,
): Promise<SeatingPlan> {
  const { restaurant, sector } = await requireSectorOf(reads, request.restaurantId, request.sectorId);
  const durationMinutes = stayLength(restaurant, request);
  const { min, max } = restaurant.durationRange;
  if (durationMinutes < min || durationMinutes > max) {
    throw new AppError('invalid_input', `durationMinutes must be between ${min} and ${max} for this restaurant`);
  }
  if (request.windowStart !== undefined && request.windowStart === request.windowEnd) {
    throw new AppError('invalid_input', 'windowStart and windowEnd must differ');
  }
  const area = searchWindows({
    zone: restaurant.timezone,
    date: request.date,
    serviceWindows: windowsOfSector(restaurant, sector),
    windowStart: request.windowStart === undefined ? undefined : parseLocalTime(request.windowStart)!,
    windowEnd: request.windowEnd === undefined ? undefined : parseLocalTime(request.windowEnd)!,
  });
  if (!area) {
    throw new AppError('outside_service_window', `the requested window does not meet service hours on ${request.date}`);
  }
  const { service, windows } = area;
  if (!windows.every((window) => hasWholeMinuteOffset(restaurant.timezone, window.start))) {
    throw new AppError('invalid_input', `${restaurant.timezone} had no whole-minute UTC offset on ${request.date}`);
  }
  // Blocks of the whole service day: whether a stay is flush depends on what lies just outside the guest's window.
  const { tables, blocks } = await readSectorState(reads, stateCache, sector.id, spanOf(service), revision);
  const candidates = discoverSeatings({
    zone: restaurant.timezone,
    windows,
    service,
    prefer: startPreferenceOf(request),
    partySize: request.partySize,
    durationMinutes,
    tables,
    blocks,
    limit,
  });
  if (candidates.length === 0) {
    throw new AppError(
      'no_capacity',
      `no table or combination in sector ${sector.id} seats ${request.partySize} for ${durationMinutes} minutes in that window`,
    );
  }
  return { restaurant, sector, durationMinutes, candidates };
}
