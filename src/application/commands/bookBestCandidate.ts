import { decideCreate } from '../../domain/bookings/decideCreate.js';
import type { BookingOpened } from '../../domain/bookings/bookingEvents.js';
import type { Restaurant } from '../../domain/restaurants/restaurant.js';
import type { BookingView, CreateBookingInput } from '../contracts/bookings.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { streams, type PendingEvent } from '../ports/eventStore.js';
import { planSeating, type SeatingRequest } from '../queries/planSeating.js';
import { bookingView } from '../views.js';

/** Parties at or above the restaurant's threshold are held for approval; the rest confirm at once. */
export function holdMinutesFor(restaurant: Restaurant, partySize: number): number | undefined {
  const largeGroups = restaurant.largeGroups;
  return largeGroups && partySize >= largeGroups.threshold ? largeGroups.holdMinutes : undefined;
}

/**
 * The event that books the request's best candidate on current state, or
 * `no_capacity`. `also` goes into the same append (a waitlist promotion, say).
 */
export async function bookBestCandidate(
  deps: Dependencies,
  request: SeatingRequest & Pick<CreateBookingInput, 'guestName' | 'guestEmail' | 'guestPhone' | 'notes'>,
  caller: Caller,
  idempotencyKey: string | undefined,
  also: (event: BookingOpened, now: number) => PendingEvent[] = () => [],
): Promise<BookingView> {
  const plan = await planSeating(deps.reads, request, 1, deps.caches.sectorState);
  const now = deps.clock.now();
  const event = decideCreate(
    {
      ...request,
      durationMinutes: plan.durationMinutes,
      bookingId: deps.ids.bookingId(),
      now,
      holdMinutes: holdMinutesFor(plan.restaurant, request.partySize),
    },
    plan.candidates,
  )!;
  const booking = event.data.booking;
  await deps.events.append(
    [{ stream: streams.booking(booking.id), expectedVersion: 'none', event }, ...also(event, now)],
    { actor: caller.actor, requestId: caller.requestId, idempotencyKey },
    now,
  );
  return bookingView(booking, plan.restaurant.timezone);
}
