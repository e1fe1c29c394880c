import { decideJoin, decideLeave, decidePromote } from '../../domain/waitlist/waitlistDecisions.js';
import { evolveEntry, oldestOpenDate } from '../../domain/waitlist/waitlistEntry.js';
import { AppError, isAppError } from '../../errors/catalogue.js';
import { handleCommand, sectorLock } from '../commandHandling/handleCommand.js';
import type { CreateBookingInput } from '../contracts/bookings.js';
import type { WaitlistEntryView } from '../contracts/waitlist.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { waitlistView } from '../views.js';
import { planBooking } from './planBooking.js';

/** Joins the waitlist of the sector the input names (a create without one chooses it first). */
export async function joinWaitlist(
  deps: Dependencies,
  input: CreateBookingInput & { sectorId: string; guestId?: string | undefined },
  caller: Caller,
): Promise<WaitlistEntryView> {
  const { waitlist: _asked, ...request } = input;
  const entry = await handleCommand(deps, caller, {
    decide: async (_state, now) => {
      const events = decideJoin({ ...request, id: deps.ids.waitlistEntryId() }, now);
      return { events, result: evolveEntry(null, events[0]!)! };
    },
  });
  return waitlistView(entry, (await requireRestaurant(deps.reads, entry.restaurantId)).timezone);
}

export async function getWaitlistEntry(deps: Dependencies, id: string): Promise<WaitlistEntryView> {
  const found = await deps.reads.waitlistEntry(id);
  if (!found) throw new AppError('not_found', `waitlist entry ${id} does not exist`);
  return waitlistView(found.value, (await requireRestaurant(deps.reads, found.value.restaurantId)).timezone);
}

/** Leaving twice, or after being booked, changes nothing. */
export function leaveWaitlist(deps: Dependencies, id: string, caller: Caller): Promise<void> {
  return handleCommand(deps, caller, {
    decide: async (state, now) => {
      const entry = await state.waitlistEntry(id);
      if (!entry) throw new AppError('not_found', `waitlist entry ${id} does not exist`);
      return { events: decideLeave(entry, now), result: undefined };
    },
  });
}

/**
 * Books, earliest first, every waiting entry of the sector that fits now, each in
 * one append with its promotion. Safe in every process at once: the entry's
 * version lets one promotion through.
 */
export async function promoteWaitlist(deps: Dependencies, sectorId: string): Promise<number> {
  return deps.locks.withLock(sectorLock(sectorId), async () => {
    let promoted = 0;
    for (const waiting of await deps.reads.waitingEntries(sectorId, oldestOpenDate(deps.clock.now()))) {
      try {
        const booked = await handleCommand(
          deps,
          { actor: 'system' },
          {
            decide: async (state, now) => {
              const entry = await state.waitlistEntry(waiting.id);
              if (entry?.status !== 'WAITING') return { events: [], result: false };
              const { event } = await planBooking(deps, entry, now, 'system');
              return { events: [event, ...decidePromote(entry, event.data.booking.id, now)], result: true };
            },
          },
        );
        if (booked) promoted++;
      } catch (error) {
        // Still no room for this party (or the sector kept changing): try the next one.
        if (!isAppError(error)) throw error;
      }
    }
    return promoted;
  });
}

/** The sweeper's pass: every sector with someone waiting. */
export async function promoteAllWaitlists(deps: Dependencies): Promise<number> {
  let promoted = 0;
  for (const sectorId of await deps.reads.sectorsWithWaiting(oldestOpenDate(deps.clock.now())))
    promoted += await promoteWaitlist(deps, sectorId);
  return promoted;
}
