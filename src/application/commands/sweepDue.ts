import type { Booking } from '../../domain/bookings/booking.js';
import type { BookingEvent } from '../../domain/bookings/bookingEvents.js';
import { isAppError } from '../../errors/catalogue.js';
import { handleCommand } from '../commandHandling/handleCommand.js';
import type { Dependencies } from '../dependencies.js';

/** Bookings one sweep looks at, at most: what is due is read through an index, a batch at a time. */
export const SWEEP_BATCH = 100;

/**
 * The sweeper's write on each booking found due: `decide` on the booking as it
 * stands, appended at the version read. Safe in every process at once: of two
 * processes that find the same booking due, only one writes; the other decides
 * nothing on the state it reads again. Returns how many were written.
 */
export async function sweepDue(
  deps: Dependencies,
  dueIds: readonly string[],
  decide: (booking: Booking, now: number) => BookingEvent[],
): Promise<number> {
  let written = 0;
  for (const id of dueIds) {
    try {
      const wrote = await handleCommand(
        deps,
        { actor: 'system' },
        {
          decide: async (state, now) => {
            const booking = await state.booking(id);
            const events = booking ? decide(booking, now) : [];
            return { events, result: events.length > 0 };
          },
        },
      );
      if (wrote) written++;
    } catch (error) {
      // Still changing after every attempt: the next sweep tries again.
      if (!isAppError(error)) throw error;
    }
  }
  return written;
}
