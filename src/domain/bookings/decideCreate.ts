import type { Candidate } from '../seating/discoverSeatings.js';
import type { CalendarDate } from '../time/calendarDate.js';
import type { Guest } from './booking.js';
import type { BookingOpened } from './bookingEvents.js';

export interface CreateBookingDecision extends Guest {
  bookingId: string;
  restaurantId: string;
  sectorId: string;
  date: CalendarDate;
  partySize: number;
  durationMinutes: number;
  now: number;
  /** When the party is large enough to need approval: how long the hold lasts. */
  holdMinutes?: number | undefined;
}

/**
 * Books the first candidate still free — confirmed, or held for approval when a
 * hold length is given; `null` when there is no candidate.
 */
export function decideCreate(decision: CreateBookingDecision, candidates: readonly Candidate[]): BookingOpened | null {
  const chosen = candidates[0];
  if (!chosen) return null;
  const held = decision.holdMinutes !== undefined;
  return {
    type: held ? 'BookingHeld' : 'BookingConfirmed',
    data: {
      booking: {
        id: decision.bookingId,
        restaurantId: decision.restaurantId,
        sectorId: decision.sectorId,
        date: decision.date,
        tableIds: [...chosen.tableIds],
        partySize: decision.partySize,
        start: chosen.start,
        end: chosen.end,
        durationMinutes: decision.durationMinutes,
        status: held ? 'PENDING' : 'CONFIRMED',
        holdExpiresAt: held ? decision.now + decision.holdMinutes! * 60_000 : undefined,
        guestName: decision.guestName,
        guestEmail: decision.guestEmail,
        guestPhone: decision.guestPhone,
        notes: decision.notes,
        createdAt: decision.now,
        updatedAt: decision.now,
      },
    },
  };
}
