import type { DiscoverQuery, DiscoverResponse } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { candidateView } from '../views.js';
import { withAlternatives } from './alternatives.js';
import { planSeating, type SeatingPlan } from './planSeating.js';

function keyOf(query: DiscoverQuery): string {
  const { restaurantId, sectorId, date, partySize, duration, windowStart, windowEnd, limit } = query;
  return [restaurantId, sectorId ?? '', date, partySize, duration ?? '', windowStart ?? '', windowEnd ?? '', limit].join('|');
}

/** Ranked candidates in the sector named, or in every sector of the restaurant; a `no_capacity` refusal carries alternatives. */
export async function discover(deps: Dependencies, query: DiscoverQuery): Promise<DiscoverResponse> {
  try {
    return query.sectorId === undefined ? await discoverAcrossSectors(deps, query) : await discoverInSector(deps, query, query.sectorId);
  } catch (error) {
    throw await withAlternatives(deps, error, { ...query, durationMinutes: query.duration });
  }
}

async function discoverInSector(deps: Dependencies, query: DiscoverQuery, sectorId: string): Promise<DiscoverResponse> {
  const key = keyOf(query);
  // Read before the state: a change committed in between makes this entry stale at once.
  const revision = await deps.reads.sectorRevision(sectorId);
  const cached = deps.caches.discover.get(key, revision);
  if (cached) return cached;

  const { restaurant, sector } = await requireSectorOf(deps.reads, query.restaurantId, sectorId);
  const plan = await planSeating(deps.reads, { ...query, durationMinutes: query.duration }, query.limit, deps.caches, {
    restaurant,
    sectors: [{ sector, revision }],
  });
  const response = responseOf(plan);
  deps.caches.discover.set(key, revision, response);
  return response;
}

/**
 * Every sector of the restaurant. The answer is cached under the sector ids (a new
 * sector makes a new key) at the sum of their revisions, read together before any
 * state: revisions only grow, so the sum moves whenever one of them does.
 */
async function discoverAcrossSectors(deps: Dependencies, query: DiscoverQuery): Promise<DiscoverResponse> {
  const sectors = await deps.reads.sectorsOfRestaurant(query.restaurantId);
  const key = `${keyOf(query)}|${sectors.map(({ sector }) => sector.id).join(',')}`;
  const revision = sectors.reduce((sum, { revision }) => sum + revision, 0);
  const cached = deps.caches.discover.get(key, revision);
  if (cached) return cached;

  const restaurant = await requireRestaurant(deps.reads, query.restaurantId);
  const plan = await planSeating(deps.reads, { ...query, durationMinutes: query.duration }, query.limit, deps.caches, {
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
