import type { DomainEvent, StoredEvent } from '../application/ports/eventStore.js';
import { holderOfBlackout } from '../application/projections/seatClaims.js';
import { bookingIdOf, isBookingEvent } from '../domain/bookings/bookingEvents.js';
import { blackoutIdOf, isBlackoutEvent } from '../domain/blackouts/blackout.js';

/**
 * Seat holders that cannot have seat rows yet: their stream starts in this run of
 * events (version 1), so releasing their old seats can be skipped.
 */
export function freshHolders(events: readonly StoredEvent[]): Set<string> {
  const fresh = new Set<string>();
  for (const stored of events) {
    if (stored.version !== 1) continue;
    const event = stored as DomainEvent;
    if (isBookingEvent(event)) fresh.add(bookingIdOf(event));
    else if (isBlackoutEvent(event)) fresh.add(holderOfBlackout(blackoutIdOf(event)));
  }
  return fresh;
}
