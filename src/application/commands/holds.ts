import { decideExpiry, decideHold, type HoldDecision } from '../../domain/bookings/bookingDecisions.js';
import { evolveBooking } from '../../domain/bookings/bookingEvents.js';
import { AppError, isAppError } from '../../errors/catalogue.js';
import { handleCommand } from '../commandHandling/handleCommand.js';
import type { BookingView } from '../contracts/bookings.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { bookingView } from '../views.js';

/** Approves or rejects a PENDING hold; a hold past its time expires instead and answers 409. */
export async function answerHold(deps: Dependencies, id: string, decision: HoldDecision, caller: Caller): Promise<BookingView> {
  const { booking, expired } = await handleCommand(deps, caller, {
    decide: async (state, now) => {
      const current = await state.booking(id);
      if (!current) throw new AppError('not_found', `booking ${id} does not exist`);
      const event = decideHold(current, decision, now);
      return { events: [event], result: { booking: evolveBooking(current, event)!, expired: event.type === 'HoldExpired' } };
    },
    exhausted: () => new AppError('unavailable', `booking ${id} kept changing; retry`),
  });
  if (expired) throw new AppError('not_pending', `the hold on booking ${id} expired and its seats are free`);
  return bookingView(booking, (await requireRestaurant(deps.reads, booking.restaurantId)).timezone);
}

const SWEEP_BATCH = 100;

/**
 * Expires every hold past its time. Safe to run in every process at once: each
 * expiry is appended at the version read, so of two processes only one writes it.
 */
export async function expireHolds(deps: Dependencies): Promise<number> {
  let expired = 0;
  for (const id of await deps.reads.expiredHolds(deps.clock.now(), SWEEP_BATCH)) {
    try {
      const wrote = await handleCommand(
        deps,
        { actor: 'system' },
        {
          decide: async (state, now) => {
            const booking = await state.booking(id);
            const events = booking ? decideExpiry(booking, now) : [];
            return { events, result: events.length > 0 };
          },
        },
      );
      if (wrote) expired++;
    } catch (error) {
      // Still changing after every attempt: the next sweep tries again.
      if (!isAppError(error)) throw error;
    }
  }
  return expired;
}
