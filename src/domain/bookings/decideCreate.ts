import type { Candidate } from '../seating/discoverSeatings.js';
import type { CalendarDate } from '../time/calendarDate.js';
import type { Guest } from './booking.js';
import type { BookingConfirmed } from './bookingEvents.js';

export interface CreateBookingDecision extends Guest {
  bookingId: string;
  restaurantId: string;
  sectorId: string;
  date: CalendarDate;
  partySize: number;
  durationMinutes: number;
  now: number;
}

/** Books the first candidate still free; `null` when there is none. */
export function decideCreate(decision: CreateBookingDecision, candidates: readonly Candidate[]): BookingConfirmed | null {
  const chosen = candidates[0];
  if (!chosen) return null;
  return {
    type: 'BookingConfirmed',
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
        status: 'CONFIRMED',
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
