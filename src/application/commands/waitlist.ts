import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import { AppError, isAppError } from '../../errors/catalogue.js';
import type { CreateBookingInput } from '../contracts/bookings.js';
import type { WaitlistEntryView } from '../contracts/waitlist.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { SeatConflict, StreamVersionConflict, streams } from '../ports/eventStore.js';
import { waitlistView } from '../views.js';
import { bookBestCandidate } from './bookBestCandidate.js';

export async function joinWaitlist(deps: Dependencies, input: CreateBookingInput, caller: Caller): Promise<WaitlistEntryView> {
  const now = deps.clock.now();
  const { waitlist: _asked, ...request } = input;
  const entry: WaitlistEntry = { ...request, id: `wl_${deps.ids.bookingId().slice(3)}`, status: 'WAITING', createdAt: now, updatedAt: now };
  await deps.events.append(
    [{ stream: streams.waitlist(entry.id), expectedVersion: 'none', event: { type: 'WaitlistJoined', data: { entry } } }],
    { actor: caller.actor, requestId: caller.requestId },
    now,
  );
  return waitlistView(entry, (await requireRestaurant(deps.reads, entry.restaurantId)).timezone);
}

export async function getWaitlistEntry(deps: Dependencies, id: string): Promise<WaitlistEntryView> {
  const found = await deps.reads.waitlistEntry(id);
  if (!found) throw new AppError('not_found', `waitlist entry ${id} does not exist`);
  return waitlistView(found.value, (await requireRestaurant(deps.reads, found.value.restaurantId)).timezone);
}

/** Leaving twice, or after being booked, changes nothing. */
export async function leaveWaitlist(deps: Dependencies, id: string, caller: Caller): Promise<void> {
  const found = await deps.reads.waitlistEntry(id);
  if (!found) throw new AppError('not_found', `waitlist entry ${id} does not exist`);
  if (found.value.status !== 'WAITING') return;
  const at = Math.max(deps.clock.now(), found.value.updatedAt + 1);
  try {
    await deps.events.append(
      [{ stream: streams.waitlist(id), expectedVersion: found.version, event: { type: 'WaitlistLeft', data: { entryId: id, at } } }],
      { actor: caller.actor, requestId: caller.requestId },
      at,
    );
  } catch (error) {
    // Promoted or left meanwhile: either way it no longer waits.
    if (!(error instanceof StreamVersionConflict)) throw error;
  }
}

/**
 * Books, earliest first, every waiting entry of the sector that fits now, each in
 * one append with its promotion. Runs after anything that frees seats, and from
 * the sweeper, in every process: the entry's version lets one promotion through.
 */
export async function promoteWaitlist(deps: Dependencies, sectorId: string): Promise<number> {
  return deps.locks.withLock(`sector|${sectorId}`, async () => {
    let promoted = 0;
    for (const entry of await deps.reads.waitingEntries(sectorId)) {
      const current = await deps.reads.waitlistEntry(entry.id);
      if (current?.value.status !== 'WAITING') continue;
      try {
        await bookBestCandidate(deps, entry, { actor: 'system' }, undefined, (event, now) => [
          {
            stream: streams.waitlist(entry.id),
            expectedVersion: current.version,
            event: { type: 'WaitlistPromoted', data: { entryId: entry.id, bookingId: event.data.booking.id, at: now } },
          },
        ]);
        promoted++;
      } catch (error) {
        if (isAppError(error) || error instanceof SeatConflict || error instanceof StreamVersionConflict) continue;
        throw error;
      }
    }
    return promoted;
  });
}

/** After seats free: promotion failing must not fail what freed them; the sweeper tries again. */
export async function promoteAfterRelease(deps: Dependencies, sectorId: string): Promise<void> {
  try {
    await promoteWaitlist(deps, sectorId);
  } catch {
    // The sweeper runs every few seconds and will promote then.
  }
}

/** The sweeper's pass: every sector with someone waiting. */
export async function promoteAllWaitlists(deps: Dependencies): Promise<number> {
  let promoted = 0;
  for (const sectorId of await deps.reads.sectorsWithWaiting()) promoted += await promoteWaitlist(deps, sectorId);
  return promoted;
}
