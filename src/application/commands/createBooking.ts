import { AppError, isAppError } from '../../errors/catalogue.js';
import { handleCommand } from '../commandHandling/handleCommand.js';
import type { BookingView, CreateBookingInput } from '../contracts/bookings.js';
import type { WaitlistEntryView } from '../contracts/waitlist.js';
import { idempotencyScopeOf, type Caller, type Dependencies } from '../dependencies.js';
import { runIdempotently, type IdempotentOutcome } from '../idempotency.js';
import { bookingView } from '../views.js';
import { planBooking } from './planBooking.js';
import { joinWaitlist } from './waitlist.js';

export type Booked = IdempotentOutcome & { status: 201; body: BookingView };
type Waiting = IdempotentOutcome & { status: 202; body: WaitlistEntryView };
export type CreatedBooking = Booked | Waiting;

/** What the caller is shown of what it made: kept as the idempotent answer, so replays show the same. */
export interface Presenter {
  booking(view: BookingView): BookingView;
  entry(view: WaitlistEntryView): WaitlistEntryView;
}

const asIs: Presenter = { booking: (view) => view, entry: (view) => view };

/**
 * Books the first candidate still free. The sector lock narrows contention; the
 * store is what refuses an overlap, and then the choice is made again on fresh state.
 */
export async function createBooking(
  deps: Dependencies,
  input: CreateBookingInput,
  caller: Caller,
  idempotencyKey?: string,
  present: Presenter = asIs,
): Promise<CreatedBooking> {
  const outcome = await runIdempotently(deps, idempotencyScopeOf(caller), idempotencyKey, input, async () => {
    try {
      return { status: 201, body: present.booking(await book(deps, input, caller, idempotencyKey)) };
    } catch (error) {
      // Asked to wait rather than be refused: the party joins the sector's waitlist.
      if (!input.waitlist || !isAppError(error) || error.code !== 'no_capacity') throw error;
      return { status: 202, body: present.entry(await joinWaitlist(deps, input, caller)) };
    }
  });
  return outcome as CreatedBooking;
}

function book(deps: Dependencies, input: CreateBookingInput, caller: Caller, idempotencyKey: string | undefined): Promise<BookingView> {
  return handleCommand(deps, caller, {
    lock: `sector|${input.sectorId}`,
    idempotencyKey,
    decide: async (_state, now) => {
      const { event, restaurant } = await planBooking(deps, input, now);
      return { events: [event], result: bookingView(event.data.booking, restaurant.timezone) };
    },
    exhausted: () => new AppError('no_capacity', 'the seats were taken by concurrent bookings; try again'),
  });
}
