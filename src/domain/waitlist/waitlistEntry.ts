import { addDays, type CalendarDate } from '../time/calendarDate.js';
import type { Guest } from '../bookings/booking.js';

/**
 * A party that asked to wait when nothing fitted. It keeps its request; when
 * seats free, the earliest entry that now fits is booked and points at its booking.
 */
export interface WaitlistEntry extends Guest {
  id: string;
  restaurantId: string;
  sectorId: string;
  date: CalendarDate;
  partySize: number;
  durationMinutes?: number | undefined;
  windowStart?: string | undefined;
  windowEnd?: string | undefined;
  status: 'WAITING' | 'BOOKED' | 'LEFT';
  bookingId?: string | undefined;
  createdAt: number;
  updatedAt: number;
}

export type WaitlistEvent =
  | { type: 'WaitlistJoined'; data: { entry: WaitlistEntry } }
  | { type: 'WaitlistPromoted'; data: { entryId: string; bookingId: string; at: number } }
  | { type: 'WaitlistLeft'; data: { entryId: string; at: number } };

const WAITLIST_TYPES: readonly string[] = ['WaitlistJoined', 'WaitlistPromoted', 'WaitlistLeft'] satisfies WaitlistEvent['type'][];

export function isWaitlistEvent(event: { type: string }): event is WaitlistEvent {
  return WAITLIST_TYPES.includes(event.type);
}

export function entryIdOf(event: WaitlistEvent): string {
  return event.type === 'WaitlistJoined' ? event.data.entry.id : event.data.entryId;
}

export function evolveEntry(state: WaitlistEntry | null, event: WaitlistEvent): WaitlistEntry | null {
  switch (event.type) {
    case 'WaitlistJoined':
      return { ...event.data.entry };
    case 'WaitlistPromoted':
      return state ? { ...state, status: 'BOOKED', bookingId: event.data.bookingId, updatedAt: event.data.at } : state;
    case 'WaitlistLeft':
      return state ? { ...state, status: 'LEFT', updatedAt: event.data.at } : state;
  }
}

/**
 * The oldest service date whose waiting entries may still be booked at `now`, in
 * any zone: a local date is at most a day behind UTC's, and a window crossing
 * midnight belongs to the day before. Older entries are never tried again, so
 * what the sweeper reads is bounded by the days still open, not by history.
 */
export function oldestOpenDate(now: number): CalendarDate {
  return addDays(new Date(now).toISOString().slice(0, 10), -2);
}
