import { AppError, isAppError } from '../../errors/catalogue.js';
import type { BookingView, CreateBookingInput } from '../contracts/bookings.js';
import type { WaitlistEntryView } from '../contracts/waitlist.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { runIdempotently, type IdempotentOutcome } from '../idempotency.js';
import { SeatConflict } from '../ports/eventStore.js';
import { bookBestCandidate } from './bookBestCandidate.js';
import { joinWaitlist } from './waitlist.js';

/** A lost race against another writer is retried on fresh state this many times. */
const ATTEMPTS = 3;

export type Booked = IdempotentOutcome & { status: 201; body: BookingView };
export type Waiting = IdempotentOutcome & { status: 202; body: WaitlistEntryView };
export type CreatedBooking = Booked | Waiting;

export async function createBooking(
  deps: Dependencies,
  input: CreateBookingInput,
  caller: Caller,
  idempotencyKey?: string,
): Promise<CreatedBooking> {
  const outcome = await runIdempotently(deps, caller.actor, idempotencyKey, input, () =>
    deps.locks.withLock(`sector|${input.sectorId}`, async () => {
      try {
        return { status: 201, body: await bookFirstFreeCandidate(deps, input, caller, idempotencyKey) };
      } catch (error) {
        // Asked to wait rather than be refused: the party joins the sector's waitlist.
        if (!input.waitlist || !isAppError(error) || error.code !== 'no_capacity') throw error;
        return { status: 202, body: await joinWaitlist(deps, input, caller) };
      }
    }),
  );
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
    try {
      return await bookBestCandidate(deps, input, caller, idempotencyKey);
    } catch (error) {
      if (!(error instanceof SeatConflict)) throw error;
    }
  }
  throw new AppError('no_capacity', 'the seats were taken by concurrent bookings; try again');
}
