import { decideExpiry, decideHold, type HoldDecision } from '../../domain/bookings/bookingEvents.js';
import { AppError } from '../../errors/catalogue.js';
import type { BookingView } from '../contracts/bookings.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { StreamVersionConflict, streams } from '../ports/eventStore.js';
import { bookingView } from '../views.js';
import { promoteAfterRelease } from './waitlist.js';

const ATTEMPTS = 5;

/** Approves or rejects a PENDING hold; a hold past its time expires instead and answers 409. */
export async function answerHold(deps: Dependencies, id: string, decision: HoldDecision, caller: Caller): Promise<BookingView> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const found = await deps.reads.booking(id);
    if (!found) throw new AppError('not_found', `booking ${id} does not exist`);
    const event = decideHold(found.value, decision, deps.clock.now());
    if (event === 'not_pending') {
      throw new AppError('not_pending', `booking ${id} is ${found.value.status}, not a hold waiting for approval`);
    }
    try {
      await deps.events.append(
        [{ stream: streams.booking(id), expectedVersion: found.version, event }],
        { actor: caller.actor, requestId: caller.requestId },
        event.data.at,
      );
    } catch (error) {
      if (error instanceof StreamVersionConflict) continue;
      throw error;
    }
    if (event.type !== 'BookingApproved') await promoteAfterRelease(deps, found.value.sectorId);
    if (event.type === 'HoldExpired') throw new AppError('not_pending', `the hold on booking ${id} expired and its seats are free`);
    const booking = (await deps.reads.booking(id))!.value;
    return bookingView(booking, (await requireRestaurant(deps.reads, booking.restaurantId)).timezone);
  }
  throw new AppError('unavailable', `booking ${id} kept changing; retry`);
}

const SWEEP_BATCH = 100;

/**
 * Expires every hold past its time. Safe to run in every process at once: each
 * expiry is appended at the version read, so of two processes only one writes it.
 */
export async function expireHolds(deps: Dependencies): Promise<number> {
  const now = deps.clock.now();
  let expired = 0;
  for (const id of await deps.reads.expiredHolds(now, SWEEP_BATCH)) {
    const found = await deps.reads.booking(id);
    if (!found) continue;
    const events = decideExpiry(found.value, now).map((event) => ({ stream: streams.booking(id), expectedVersion: found.version, event }));
    if (events.length === 0) continue;
    try {
      await deps.events.append(events, { actor: 'system' }, now);
      await promoteAfterRelease(deps, found.value.sectorId);
      expired++;
    } catch (error) {
      if (!(error instanceof StreamVersionConflict)) throw error;
    }
  }
  return expired;
}
