import type { BookingEvent } from '../../domain/bookings/bookingEvents.js';
import type { Dependencies } from '../dependencies.js';
import { promoteWaitlist } from '../commands/waitlist.js';
import type { StoredEvent } from '../ports/eventStore.js';

/** Events after which seats may be free for someone waiting. */
const RELEASING_BOOKING: ReadonlySet<string> = new Set([
  'BookingCancelled',
  'BookingRejected',
  'HoldExpired',
  'BookingFinished',
  'BookingMarkedNoShow',
  'BookingReassigned',
] satisfies BookingEvent['type'][]);
const RELEASING_BLACKOUT: ReadonlySet<string> = new Set(['BlackoutLifted', 'BlackoutResized']);

/**
 * The sector to try promotion in after this event: where it freed seats, or where
 * a party just joined (seats freed between its refusal and its joining are seen).
 */
async function sectorFreedBy(deps: Dependencies, event: StoredEvent): Promise<string | null> {
  if (event.type === 'WaitlistJoined') return (event.data as { entry: { sectorId: string } }).entry.sectorId;
  if (RELEASING_BOOKING.has(event.type))
    return (await deps.reads.booking((event.data as { bookingId: string }).bookingId))?.value.sectorId ?? null;
  if (RELEASING_BLACKOUT.has(event.type))
    return (await deps.reads.blackout((event.data as { blackoutId: string }).blackoutId))?.value.sectorId ?? null;
  return null;
}

/**
 * The first reaction to the log: a cancel, a rejected or expired hold, a party
 * that finished early or never came, a repack, a lifted or resized blackout, or a
 * party joining promotes the sector's waitlist. No command calls promotion;
 * whatever frees seats, through any protocol or process, is seen here.
 */
export function promoteWaitlistOnRelease(deps: Dependencies): (event: StoredEvent) => Promise<void> {
  return async (event) => {
    const sectorId = await sectorFreedBy(deps, event);
    if (sectorId) await promoteWaitlist(deps, sectorId);
  };
}
