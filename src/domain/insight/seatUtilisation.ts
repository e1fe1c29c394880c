import type { Booking } from '../bookings/booking.js';
import type { Blackout } from '../blackouts/blackout.js';
import type { TableCapacity } from '../seating/table.js';
import type { Interval } from '../time/interval.js';
import type { Instant } from '../time/zone.js';
import { share } from './dayCounts.js';

const MINUTE_MS = 60_000;

export interface SeatUse {
  /** Σ party size × minutes seated inside service hours. */
  occupiedSeatMinutes: number;
  /** Σ table maxSize × minutes of service hours the table was not blacked out. */
  availableSeatMinutes: number;
  /** Occupied over available, 0 to 1, four decimals; null with no seat-minutes available. */
  share: number | null;
}

/** Minutes of `intervals` (which may overlap one another) that fall inside `service` (disjoint windows). */
function minutesInside(intervals: readonly Interval[], service: readonly Interval[]): number {
  const merged: Interval[] = [];
  for (const interval of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else if (interval.start < interval.end) merged.push({ ...interval });
  }
  let ms = 0;
  for (const interval of merged) {
    for (const window of service) ms += Math.max(0, Math.min(interval.end, window.end) - Math.max(interval.start, window.start));
  }
  return ms / MINUTE_MS;
}

/** When a party sat and until when it counts: its finish, or for a party still at the table, the report instant. */
export function seatedSpan(booking: Booking, at: Instant): Interval | null {
  if (booking.seatedAt === undefined) return null;
  if (booking.status === 'FINISHED') return { start: booking.seatedAt, end: booking.finishedAt ?? at };
  return booking.status === 'SEATED' ? { start: booking.seatedAt, end: Math.max(booking.seatedAt, at) } : null;
}

/**
 * How much of one sector's seating the day used: seated parties' seat-minutes
 * over the seat-minutes its tables offered in service hours. Both sides count
 * service hours only, so a party seated before opening or still at the table
 * after closing adds only its minutes inside; blackouts take their tables'
 * minutes out of what was offered.
 */
export function seatUse(input: {
  tables: readonly TableCapacity[];
  service: readonly Interval[];
  blackouts: readonly Blackout[];
  bookings: readonly Booking[];
  at: Instant;
}): Omit<SeatUse, 'share'> {
  let occupied = 0;
  for (const booking of input.bookings) {
    const span = seatedSpan(booking, input.at);
    if (span) occupied += booking.partySize * minutesInside([span], input.service);
  }
  const serviceMinutes = minutesInside(input.service, input.service);
  let available = 0;
  for (const table of input.tables) {
    const dark = input.blackouts.filter((blackout) => blackout.tableIds.includes(table.id));
    available += table.maxSize * (serviceMinutes - minutesInside(dark, input.service));
  }
  return { occupiedSeatMinutes: occupied, availableSeatMinutes: available };
}

/** Several sectors' use added up, with its share. */
export function totalSeatUse(parts: readonly Omit<SeatUse, 'share'>[]): SeatUse {
  const occupied = parts.reduce((sum, part) => sum + part.occupiedSeatMinutes, 0);
  const available = parts.reduce((sum, part) => sum + part.availableSeatMinutes, 0);
  return { occupiedSeatMinutes: round2(occupied), availableSeatMinutes: round2(available), share: share(occupied, available) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
