import type { DiscoverQuery, DiscoverResponse } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import { candidateView } from '../views.js';
import { planSeating } from './planSeating.js';

export async function discover(deps: Dependencies, query: DiscoverQuery): Promise<DiscoverResponse> {
  const plan = await planSeating(deps.reads, { ...query, durationMinutes: query.duration }, query.limit);
  return {
    slotMinutes: 15,
    durationMinutes: query.duration,
    candidates: plan.candidates.map((candidate) => candidateView(candidate, plan.restaurant.timezone)),
  };
}
