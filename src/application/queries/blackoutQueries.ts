import { addDays } from '../../domain/time/calendarDate.js';
import { boundaryInstant } from '../../domain/time/zone.js';
import type { BlackoutsQuery } from '../contracts/blackouts.js';
import type { Dependencies } from '../dependencies.js';
import { requireSectorOf } from '../lookups.js';
import { blackoutView } from '../views.js';

/** Active blackouts of the sector that touch the local date. */
export async function listBlackouts(deps: Dependencies, query: BlackoutsQuery) {
  const { restaurant } = await requireSectorOf(deps.reads, query.restaurantId, query.sectorId);
  const zone = restaurant.timezone;
  const span = { start: boundaryInstant(zone, query.date, 0, 'start'), end: boundaryInstant(zone, addDays(query.date, 1), 0, 'start') };
  const blackouts = await deps.reads.blackoutsOfSector(query.sectorId, span);
  return { date: query.date, items: blackouts.map((blackout) => blackoutView(blackout, zone)) };
}
