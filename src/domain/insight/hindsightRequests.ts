import { occupancyOf, type Booking } from '../bookings/booking.js';
import { gridStarts } from '../availability/startSet.js';
import { durationForParty, type DurationRules } from '../restaurants/stayLength.js';
import { searchWindows } from '../seating/searchWindow.js';
import type { CalendarDate } from '../time/calendarDate.js';
import { parseLocalTime, SLOT_MINUTES } from '../time/localTime.js';
import type { LocalWindow } from '../time/serviceWindows.js';
import type { Instant } from '../time/zone.js';
import type { WaitlistEntry } from '../waitlist/waitlistEntry.js';
import type { HindsightRequest } from './hindsight.js';
import { seatedSpan } from './seatUtilisation.js';

const MINUTE_MS = 60_000;

/** One sector's day as hindsight needs it. */
export interface SectorDay {
  zone: string;
  date: CalendarDate;
  /** The sector's service windows (its own, else the restaurant's). */
  serviceWindows: readonly LocalWindow[] | undefined;
  durationRules?: DurationRules | undefined;
  /** The report instant: parties still seated count up to it. */
  at: Instant;
  bookings: readonly Booking[];
  entries: readonly WaitlistEntry[];
}

const isSeated = (booking: Booking) => booking.status === 'SEATED' || booking.status === 'FINISHED';

/**
 * Where a seated party really sat: from when it sat down to when it left (or the
 * report instant), inside the interval its seat rows kept its tables. The store
 * never lets two parties' seat rows overlap on a table, but a finish pressed late
 * may say a party sat on past the next one's arrival: clipped to its seat rows,
 * the day's seated stays are disjoint on every table, as the model needs.
 */
function achievedStay(booking: Booking, at: Instant) {
  const seated = seatedSpan(booking, at);
  const kept = occupancyOf(booking);
  if (!seated || !kept) {
    // A seated party whose seat rows are empty (seated and finished at once): it sat, and held nothing.
    const instant = booking.seatedAt ?? booking.start;
    return { start: instant, end: instant };
  }
  const start = Math.max(seated.start, kept.start);
  return { start, end: Math.max(start, Math.min(seated.end, kept.end)) };
}

/** Every grid stay of the entry's window on its date, from when it joined on: when it could have been seated. */
function waitingStays(day: SectorDay, entry: WaitlistEntry) {
  const minutes = entry.durationMinutes ?? (day.durationRules ? durationForParty(day.durationRules, entry.partySize) : undefined);
  if (minutes === undefined) return [];
  const windows = searchWindows({
    zone: day.zone,
    date: day.date,
    serviceWindows: day.serviceWindows,
    windowStart: entry.windowStart === undefined ? undefined : (parseLocalTime(entry.windowStart) ?? undefined),
    windowEnd: entry.windowEnd === undefined ? undefined : (parseLocalTime(entry.windowEnd) ?? undefined),
  });
  if (!windows) return [];
  const durationMs = minutes * MINUTE_MS;
  return gridStarts(windows.windows, durationMs, SLOT_MINUTES * MINUTE_MS)
    .filter((start) => start >= entry.createdAt)
    .map((start) => ({ start, end: start + durationMs }));
}

/**
 * The day's requests for one sector, and how many of them were seated.
 * - Seated parties (SEATED, FINISHED, walk-ins too) at their real stay and tables.
 * - Bookings still standing (PENDING, CONFIRMED) and holds that were rejected or
 *   expired, at their booked stay: they asked for that time.
 * - Waitlist entries never booked (WAITING, LEFT), anywhere in their window from
 *   when they joined, for their stay or the restaurant's rule.
 * Not requests: no-shows (they did not come), bookings the guest cancelled (they
 * withdrew), and promoted entries (their booking is counted).
 */
export function hindsightRequests(day: SectorDay): { achieved: number; requests: HindsightRequest[] } {
  const requests: HindsightRequest[] = [];
  let achieved = 0;
  for (const booking of day.bookings) {
    if (isSeated(booking)) {
      achieved++;
      requests.push({ partySize: booking.partySize, stays: [achievedStay(booking, day.at)], tableIds: booking.tableIds });
    } else if (
      booking.status === 'PENDING' ||
      booking.status === 'CONFIRMED' ||
      (booking.status === 'CANCELLED' && (booking.statusReason === 'rejected' || booking.statusReason === 'expired'))
    ) {
      requests.push({ partySize: booking.partySize, stays: [{ start: booking.start, end: booking.end }] });
    }
  }
  for (const entry of day.entries) {
    if (entry.status === 'BOOKED') continue;
    const stays = waitingStays(day, entry);
    if (stays.length > 0) requests.push({ partySize: entry.partySize, stays });
  }
  return { achieved, requests };
}
