import { decideExpiry, decideHold, type HoldDecision } from '../../domain/bookings/bookingDecisions.js';
import { evolveBooking } from '../../domain/bookings/bookingEvents.js';
import { AppError } from '../../errors/catalogue.js';
import { handleCommand } from '../commandHandling/handleCommand.js';
import type { BookingView } from '../contracts/bookings.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { bookingView } from '../views.js';
import { SWEEP_BATCH, sweepDue } from './sweepDue.js';

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

/** Expires every hold past its time (see `sweepDue`). */
export async function expireHolds(deps: Dependencies): Promise<number> {
  return sweepDue(deps, await deps.reads.expiredHolds(deps.clock.now(), SWEEP_BATCH), decideExpiry);
}
