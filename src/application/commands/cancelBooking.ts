import { decideCancel } from '../../domain/bookings/bookingEvents.js';
import { AppError } from '../../errors/catalogue.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { StreamVersionConflict, streams } from '../ports/eventStore.js';
import { promoteAfterRelease } from './waitlist.js';

const ATTEMPTS = 5;

/** Frees the seats at once. Cancelling a cancelled booking succeeds and changes nothing. */
export async function cancelBooking(deps: Dependencies, id: string, caller: Caller): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const found = await deps.reads.booking(id);
    if (!found) throw new AppError('not_found', `booking ${id} does not exist`);
    const now = deps.clock.now();
    const events = decideCancel(found.value, now).map((event) => ({
      stream: streams.booking(id),
      expectedVersion: found.version,
      event,
    }));
    if (events.length === 0) return;
    try {
      await deps.events.append(events, { actor: caller.actor, requestId: caller.requestId }, now);
      await promoteAfterRelease(deps, found.value.sectorId);
      return;
    } catch (error) {
      if (!(error instanceof StreamVersionConflict)) throw error;
    }
  }
  throw new AppError('unavailable', `booking ${id} kept changing while it was being cancelled; retry`);
}
