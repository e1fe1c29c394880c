import type { Booking } from '../../domain/bookings/booking.js';
import { evolveBooking, type BookingEvent } from '../../domain/bookings/bookingEvents.js';
import { evolveEntry, type WaitlistEntry, type WaitlistEvent } from '../../domain/waitlist/waitlistEntry.js';
import type { Dependencies } from '../dependencies.js';
import { streams } from '../ports/eventStore.js';

/**
 * An entity as it stood at `asOf`: its stream folded over the events recorded by
 * then; `null` when it did not exist yet. Projections hold only the last state, the
 * log every one before it.
 */
async function foldAsOf<S, E>(
  deps: Dependencies,
  stream: string,
  asOf: number,
  evolve: (state: S | null, event: E) => S | null,
): Promise<S | null> {
  let state: S | null = null;
  for (const stored of await deps.events.readStream(stream)) {
    if (stored.recordedAt > asOf) break;
    state = evolve(state, { type: stored.type, data: stored.data } as E);
  }
  return state;
}

export function bookingAsOf(deps: Dependencies, id: string, asOf: number): Promise<Booking | null> {
  return foldAsOf<Booking, BookingEvent>(deps, streams.booking(id), asOf, evolveBooking);
}

export function entryAsOf(deps: Dependencies, id: string, asOf: number): Promise<WaitlistEntry | null> {
  return foldAsOf<WaitlistEntry, WaitlistEvent>(deps, streams.waitlist(id), asOf, evolveEntry);
}

/** Each of `current` (as the projections hold it now) as it stood at `asOf`, leaving out those that did not exist yet. */
export async function allAsOf<T extends { id: string }>(
  current: readonly T[],
  asOf: number,
  fold: (id: string, asOf: number) => Promise<T | null>,
): Promise<T[]> {
  const past: T[] = [];
  for (const item of current) {
    const state = await fold(item.id, asOf);
    if (state) past.push(state);
  }
  return past;
}
