import type { DiscoverQuery, DiscoverResponse } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import { candidateView } from '../views.js';
import { planSeating } from './planSeating.js';

function keyOf(query: DiscoverQuery): string {
  const { restaurantId, sectorId, date, partySize, duration, windowStart, windowEnd, limit } = query;
  return [restaurantId, sectorId, date, partySize, duration ?? '', windowStart ?? '', windowEnd ?? '', limit].join('|');
}

export async function discover(deps: Dependencies, query: DiscoverQuery): Promise<DiscoverResponse> {
  const key = keyOf(query);
  // Read before the state: a change committed in between makes this entry stale at once.
  const revision = await deps.reads.sectorRevision(query.sectorId);
  const cached = deps.caches.discover.get(key, revision);
  if (cached) return cached;

  const plan = await planSeating(deps.reads, { ...query, durationMinutes: query.duration }, query.limit, deps.caches.sectorState, revision);
  const response: DiscoverResponse = {
    slotMinutes: 15,
    durationMinutes: plan.durationMinutes,
    candidates: plan.candidates.map((candidate) => candidateView(candidate, plan.restaurant.timezone)),
  };
  deps.caches.discover.set(key, revision, response);
  return response;
}
