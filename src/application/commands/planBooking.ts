import { decideCreate } from '../../domain/bookings/bookingDecisions.js';
import type { Guest } from '../../domain/bookings/booking.js';
import type { BookingOpened } from '../../domain/bookings/bookingEvents.js';
import { holdMinutesFor } from '../../domain/restaurants/stayLength.js';
import { DEFAULT_NO_SHOW_AFTER_MINUTES, type Restaurant } from '../../domain/restaurants/restaurant.js';
import type { CreateBookingInput } from '../contracts/bookings.js';
import type { Dependencies } from '../dependencies.js';
import { planSeating, type SeatingRequest } from '../queries/planSeating.js';

export type BookingRequest = SeatingRequest &
  Pick<CreateBookingInput, 'guestName' | 'guestEmail' | 'guestPhone' | 'notes'> &
  Pick<Guest, 'guestId'>;

/**
 * The event that books the request's best candidate on current state (in that
 * candidate's sector), or `no_capacity`. `actor` is who asked, recorded when the
 * request overrides pacing.
 */
export async function planBooking(
  deps: Dependencies,
  request: BookingRequest,
  now: number,
  actor: string,
): Promise<{ event: BookingOpened; restaurant: Restaurant }> {
  const plan = await planSeating(deps.reads, request, 1, deps.caches);
  const event = decideCreate(
    {
      ...request,
      sectorId: plan.candidates[0]!.sectorId,
      durationMinutes: plan.durationMinutes,
      bookingId: deps.ids.bookingId(),
      now,
      holdMinutes: holdMinutesFor(plan.restaurant, request.partySize),
      source: request.channel ?? 'staff',
      pacingOverrideBy: request.pacingOverride ? actor : undefined,
      noShowAfterMinutes: plan.restaurant.noShowAfterMinutes ?? DEFAULT_NO_SHOW_AFTER_MINUTES,
    },
    plan.candidates,
  );
  return { event, restaurant: plan.restaurant };
}
