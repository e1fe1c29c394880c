import type { Channel } from '../../domain/restaurants/restaurant.js';
import type { DiscoverQuery, DiscoverResponse } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { candidateView } from '../views.js';
import { withAlternatives } from './alternatives.js';
import { planSeating, type SeatingPlan } from './planSeating.js';

/** A query without a duration may take a learned stay: its answer is kept under the learned figures it used. */
function keyOf(deps: Dependencies, query: DiscoverQuery, channel: Channel): string {
  const { restaurantId, sectorId, date, partySize, duration, windowStart, windowEnd, limit } = query;
  const stay = duration ?? `turns@${deps.caches.turnTimes.version(restaurantId)}`;
  return [restaurantId, sectorId ?? '', date, partySize, stay, windowStart ?? '', windowEnd ?? '', limit, channel].join('|');
}

/**
 * Ranked candidates in the sector named, or in every sector of the restaurant, for
 * the caller's channel (its tables, its pacing cap; see `channelOfCaller`); a
 * `no_capacity` refusal carries alternatives.
 */
export async function discover(deps: Dependencies, query: DiscoverQuery, channel: Channel = 'staff'): Promise<DiscoverResponse> {
  try {
    return query.sectorId === undefined
      ? await discoverAcrossSectors(deps, query, channel)
      : await discoverInSector(deps, query, query.sectorId, channel);
  } catch (error) {
    throw await withAlternatives(deps, error, { ...query, durationMinutes: query.duration, channel });
  }
}

/**
 * One sector, cached at its revision. A restaurant-wide pacing cap counts the
 * covers of every sector, whose bookings do not move this sector's revision: the
 * answer is then kept at the sum of every sector's revision, read together in one
 * query, as `discoverAcrossSectors` does; and not kept at all when that read finds
 * this sector past the revision its restaurant and sector were read at.
 */
async function discoverInSector(deps: Dependencies, query: DiscoverQuery, sectorId: string, channel: Channel): Promise<DiscoverResponse> {
  let key = keyOf(deps, query, channel);
  // Read before the state: a change committed in between makes this entry stale at once.
  const revision = await deps.reads.sectorRevision(sectorId);
  let keptAt: number | undefined = revision;
  if ((await deps.reads.restaurant(query.restaurantId))?.pacing) {
    const sectors = await deps.reads.sectorsOfRestaurant(query.restaurantId);
    key = `${key}|${sectors.map(({ sector }) => sector.id).join(',')}`;
    const own = sectors.find(({ sector }) => sector.id === sectorId)?.revision;
    keptAt = own === revision ? sectors.reduce((sum, scoped) => sum + scoped.revision, 0) : undefined;
  }
  const cached = keptAt === undefined ? undefined : deps.caches.discover.get(key, keptAt);
  if (cached) return cached;

  const { restaurant, sector } = await requireSectorOf(deps.reads, query.restaurantId, sectorId);
  const plan = await planSeating(deps.reads, { ...query, durationMinutes: query.duration, channel }, query.limit, deps.caches, {
    restaurant,
    sectors: [{ sector, revision }],
  });
  const response = responseOf(plan);
  if (keptAt !== undefined) deps.caches.discover.set(key, keptAt, response);
  return response;
}

/**
 * Every sector of the restaurant. The answer is cached under the sector ids (a new
 * sector makes a new key) at the sum of their revisions, read together before any
 * state: revisions only grow, so the sum moves whenever one of them does.
 */
async function discoverAcrossSectors(deps: Dependencies, query: DiscoverQuery, channel: Channel): Promise<DiscoverResponse> {
  const sectors = await deps.reads.sectorsOfRestaurant(query.restaurantId);
  const key = `${keyOf(deps, query, channel)}|${sectors.map(({ sector }) => sector.id).join(',')}`;
  const revision = sectors.reduce((sum, { revision }) => sum + revision, 0);
  const cached = deps.caches.discover.get(key, revision);
  if (cached) return cached;

  const restaurant = await requireRestaurant(deps.reads, query.restaurantId);
  const plan = await planSeating(deps.reads, { ...query, durationMinutes: query.duration, channel }, query.limit, deps.caches, {
    restaurant,
    sectors,
  });
  const response = responseOf(plan);
  deps.caches.discover.set(key, revision, response);
  return response;
}

function responseOf(plan: SeatingPlan): DiscoverResponse {
  return {
    slotMinutes: 15,
    durationMinutes: plan.durationMinutes,
    candidates: plan.candidates.map((candidate) => candidateView(candidate, plan.restaurant.timezone)),
  };
}
