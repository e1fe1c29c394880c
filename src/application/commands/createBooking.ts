import { decideCreate } from '../../domain/bookings/decideCreate.js';
import { AppError } from '../../errors/catalogue.js';
import type { BookingView, CreateBookingInput } from '../contracts/bookings.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { runIdempotently, type IdempotentOutcome } from '../idempotency.js';
import { SeatConflict, streams } from '../ports/eventStore.js';
import { planSeating } from '../queries/planSeating.js';
import { bookingView } from '../views.js';

/** A lost race against another writer is retried on fresh state this many times. */
const ATTEMPTS = 3;

export interface CreatedBooking extends IdempotentOutcome {
  body: BookingView;
}

export async function createBooking(
  deps: Dependencies,
  input: CreateBookingInput,
  caller: Caller,
  idempotencyKey?: string,
): Promise<CreatedBooking> {
  const outcome = await runIdempotently(deps, caller.actor, idempotencyKey, input, async () => ({
    status: 201,
    body: await deps.locks.withLock(`sector|${input.sectorId}`, () => bookFirstFreeCandidate(deps, input, caller, idempotencyKey)),
  }));
  return outcome as CreatedBooking;
}

/**
 * The lock narrows contention; the store is what refuses an overlap. When it does,
 * another process won the seats, so the choice is made again on fresh state.
 */
async function bookFirstFreeCandidate(
  deps: Dependencies,
  input: CreateBookingInput,
  caller: Caller,
  idempotencyKey: string | undefined,
): Promise<BookingView> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const plan = await planSeating(deps.reads, input, 1);
    const now = deps.clock.now();
    const largeGroups = plan.restaurant.largeGroups;
    const holdMinutes = largeGroups && input.partySize >= largeGroups.threshold ? largeGroups.holdMinutes : undefined;
    const event = decideCreate(
      { ...input, durationMinutes: plan.durationMinutes, bookingId: deps.ids.bookingId(), now, holdMinutes },
      plan.candidates,
    )!;
    const booking = event.data.booking;
    try {
      await deps.events.append(
        [{ stream: streams.booking(booking.id), expectedVersion: 'none', event }],
        { actor: caller.actor, requestId: caller.requestId, idempotencyKey },
        now,
      );
      return bookingView(booking, plan.restaurant.timezone);
    } catch (error) {
      if (!(error instanceof SeatConflict)) throw error;
    }
  }
  throw new AppError('no_capacity', 'the seats were taken by concurrent bookings; try again');
}
