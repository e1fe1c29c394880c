import type { DiscoverQuery, DiscoverResponse } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import { candidateView } from '../views.js';
import { DiscoverCache } from './discoverCache.js';
import { planSeating } from './planSeating.js';

export async function discover(deps: Dependencies, cache: DiscoverCache, query: DiscoverQuery): Promise<DiscoverResponse> {
  const key = DiscoverCache.keyOf(query);
  // Read before the state: a change committed in between makes this entry stale at once.
  const revision = await deps.reads.sectorRevision(query.sectorId);
  const cached = cache.get(key, revision);
  if (cached) return cached;

  const plan = await planSeating(deps.reads, { ...query, durationMinutes: query.duration }, query.limit);
  const response: DiscoverResponse = {
    slotMinutes: 15,
    durationMinutes: plan.durationMinutes,
    candidates: plan.candidates.map((candidate) => candidateView(candidate, plan.restaurant.timezone)),
  };
  cache.set(key, revision, response);
  return response;
}
