import type { Channel } from '../restaurants/restaurant.js';
import type { CalendarDate } from '../time/calendarDate.js';
import type { Interval } from '../time/interval.js';
import type { Instant } from '../time/zone.js';

export const BOOKING_STATUSES = ['CONFIRMED', 'PENDING', 'SEATED', 'FINISHED', 'NO_SHOW', 'CANCELLED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export interface Guest {
  /** The guest profile its phone or email matched (not personal itself: an id). */
  guestId?: string | undefined;
  guestName?: string | undefined;
  guestEmail?: string | undefined;
  guestPhone?: string | undefined;
  notes?: string | undefined;
}

export interface Booking extends Guest {
  id: string;
  restaurantId: string;
  sectorId: string;
  /** The service date it belongs to: the date its window opened on. */
  date: CalendarDate;
  tableIds: string[];
  partySize: number;
  /** The booked stay; seating and finishing never move it (see `occupancyOf`). */
  start: Instant;
  end: Instant;
  durationMinutes: number;
  status: BookingStatus;
  /** Who it was sold through; bookings made before channels existed have none (read as `online`). */
  source?: Channel | undefined;
  /** Staff booked it past a full pacing interval: who. */
  pacingOverride?: { actor: string } | undefined;
  /** Why a booking is CANCELLED: by a cancel, a rejected hold or an expired one. */
  statusReason?: 'cancelled' | 'rejected' | 'expired' | undefined;
  /** For a PENDING hold: when it lapses and frees its seats. */
  holdExpiresAt?: Instant | undefined;
  /** When the sweeper marks it NO_SHOW if it is still unseated: its start plus the restaurant's grace. */
  noShowDueAt?: Instant | undefined;
  /** SEATED and after: when the party sat down, and until when its table is kept (the booked end, or later when extended). */
  seatedAt?: Instant | undefined;
  seatedUntil?: Instant | undefined;
  /** FINISHED: when the party left. */
  finishedAt?: Instant | undefined;
  /** NO_SHOW: when it was marked, and whether by the sweeper. */
  noShowAt?: Instant | undefined;
  noShowAutomatic?: boolean | undefined;
  createdAt: Instant;
  updatedAt: Instant;
}

const span = (start: Instant, end: Instant): Interval | null => (start < end ? { start, end } : null);

/**
 * The interval the booking keeps its tables for, as its status leaves it; `null`
 * when it keeps none. A booking not yet seated keeps its booked stay. A seated
 * party keeps the table from when it sat down (or the booked start, if it came
 * late) until the booked end, or later when extended. A finished party or a
 * no-show frees the table from the instant it was marked, and never keeps it
 * longer than it was kept: finishing late takes nothing from the next booking.
 */
export function occupancyOf(booking: Booking): Interval | null {
  const seatedFrom = Math.min(booking.start, booking.seatedAt ?? booking.start);
  const keptUntil = booking.seatedUntil ?? booking.end;
  switch (booking.status) {
    case 'PENDING':
    case 'CONFIRMED':
      return { start: booking.start, end: booking.end };
    case 'SEATED':
      return span(seatedFrom, keptUntil);
    case 'FINISHED':
      return span(seatedFrom, Math.min(booking.finishedAt ?? keptUntil, keptUntil));
    case 'NO_SHOW':
      return span(booking.start, Math.min(booking.noShowAt ?? booking.start, booking.end));
    case 'CANCELLED':
      return null;
  }
}

/** Whether the party has yet to arrive: only such a booking may be moved to other tables, seated or marked a no-show. */
export function awaitsParty(status: BookingStatus): boolean {
  return status === 'PENDING' || status === 'CONFIRMED';
}
