import { decideCancel } from '../../domain/bookings/bookingDecisions.js';
import { AppError } from '../../errors/catalogue.js';
import { handleCommand } from '../commandHandling/handleCommand.js';
import type { Caller, Dependencies } from '../dependencies.js';

/** Frees the seats at once. Cancelling a cancelled booking succeeds and changes nothing. */
export function cancelBooking(deps: Dependencies, id: string, caller: Caller): Promise<void> {
  return handleCommand(deps, caller, {
    decide: async (state, now) => {
      const booking = await state.booking(id);
      if (!booking) throw new AppError('not_found', `booking ${id} does not exist`);
      return { events: decideCancel(booking, now), result: undefined };
    },
    exhausted: () => new AppError('unavailable', `booking ${id} kept changing while it was being cancelled; retry`),
  });
}
