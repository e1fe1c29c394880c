import type { CalendarDate } from '../time/calendarDate.js';
import type { Instant } from '../time/zone.js';

export const BOOKING_STATUSES = ['CONFIRMED', 'PENDING', 'CANCELLED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that keep the tables: only these block availability. A hold does, until it ends. */
const SEAT_TAKING_STATUSES: readonly BookingStatus[] = ['CONFIRMED', 'PENDING'];

export function takesSeats(status: BookingStatus): boolean {
  return SEAT_TAKING_STATUSES.includes(status);
}

export interface Guest {
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
  start: Instant;
  end: Instant;
  durationMinutes: number;
  status: BookingStatus;
  /** Why a booking is CANCELLED: by a cancel, a rejected hold or an expired one. */
  statusReason?: 'cancelled' | 'rejected' | 'expired' | undefined;
  /** For a PENDING hold: when it lapses and frees its seats. */
  holdExpiresAt?: Instant | undefined;
  createdAt: Instant;
  updatedAt: Instant;
}
