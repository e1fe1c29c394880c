import type { Dependencies } from '../../src/application/dependencies.js';
import { streams } from '../../src/application/ports/eventStore.js';
import type { Booking } from '../../src/domain/bookings/booking.js';

export interface PlacedBooking {
  id: string;
  restaurantId: string;
  sectorId: string;
  date: string;
  tableIds: string[];
  partySize: number;
  /** ISO with explicit offset. */
  start: string;
  durationMinutes: number;
}

/** Writes a booking on chosen tables straight into the event store (the store still refuses overlaps). */
export async function placeBooking(deps: Dependencies, placed: PlacedBooking, now = Date.parse('2025-01-01T00:00:00Z')): Promise<void> {
  const start = Date.parse(placed.start);
  if (Number.isNaN(start)) throw new Error(`bad start ${placed.start}`);
  const booking: Booking = {
    ...placed,
    start,
    end: start + placed.durationMinutes * 60_000,
    status: 'CONFIRMED',
    createdAt: now,
    updatedAt: now,
  };
  await deps.events.append(
    [{ stream: streams.booking(placed.id), expectedVersion: 'none', event: { type: 'BookingConfirmed', data: { booking } } }],
    { actor: 'test' },
    now,
  );
}
