import type { BookingStatus } from '../bookings/booking.js';
import type { CalendarDate } from '../time/calendarDate.js';
import { localPartsOf, type Instant } from '../time/zone.js';
import type { Channel, Pacing } from './restaurant.js';

/** Pacing counts covers per 15 minutes of the restaurant's wall clock. */
const PACING_INTERVAL_MINUTES = 15;

const MINUTE_MS = 60_000;

/** What a booking adds to the interval its stay starts in. */
export interface CoverSource {
  start: Instant;
  partySize: number;
  status: BookingStatus;
}

/** Covers count while the booking stands or was honoured: everything but a cancelled booking or a no-show. */
export function countsAsCovers(status: BookingStatus): boolean {
  return status !== 'CANCELLED' && status !== 'NO_SHOW';
}

/**
 * The first instant of the local 15-minute interval holding `instant` (:00/:15/:30/:45
 * on the restaurant's wall clock, through its zone, never the process's). Grid starts
 * are their own interval; a walk-in's start (now) is floored. Assumes a whole-minute
 * offset, as every slot does (see `hasWholeMinuteOffset`).
 */
export function intervalOf(zone: string, instant: Instant): Instant {
  const { minute } = localPartsOf(zone, instant);
  const withinMinute = ((instant % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  return instant - (minute % PACING_INTERVAL_MINUTES) * MINUTE_MS - withinMinute;
}

/** Covers per interval (keyed by the interval's first instant) of the bookings that count. */
export function coversByInterval(zone: string, bookings: Iterable<CoverSource>): Map<Instant, number> {
  const covers = new Map<Instant, number>();
  for (const booking of bookings) {
    if (!countsAsCovers(booking.status)) continue;
    const interval = intervalOf(zone, booking.start);
    covers.set(interval, (covers.get(interval) ?? 0) + booking.partySize);
  }
  return covers;
}

/**
 * The most covers that may start in one interval on `date` for a booking sold
 * through `channel`: the date's override, else `maxCoversPerInterval`; online,
 * the smaller of that and `onlineMaxCoversPerInterval`, against the same total of
 * every channel. Walk-ins are counted but never refused: no cap.
 */
export function pacingCap(pacing: Pacing, date: CalendarDate, channel: Channel): number {
  if (channel === 'walk_in') return Number.POSITIVE_INFINITY;
  const max = pacing.overrides?.find((override) => override.date === date)?.maxCoversPerInterval ?? pacing.maxCoversPerInterval;
  const online = pacing.onlineMaxCoversPerInterval;
  return channel === 'online' && online !== undefined ? Math.min(max, online) : max;
}

/** The starts at which a party of `partySize` would take its interval over `cap`. */
export function startsOverCap(
  starts: readonly Instant[],
  zone: string,
  covers: ReadonlyMap<Instant, number>,
  cap: number,
  partySize: number,
): Set<Instant> {
  const over = new Set<Instant>();
  if (cap === Number.POSITIVE_INFINITY) return over;
  for (const start of starts) {
    if ((covers.get(intervalOf(zone, start)) ?? 0) + partySize > cap) over.add(start);
  }
  return over;
}
