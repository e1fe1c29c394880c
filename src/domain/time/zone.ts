import { IANAZone } from 'luxon';
import { parseCalendarDate, type CalendarDate } from './calendarDate.js';
import type { MinuteOfDay } from './localTime.js';

/** Milliseconds since the Unix epoch: the only way the engine stores an instant. */
export type Instant = number;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const QUARTER_MS = 15 * MINUTE_MS;
const MAX_CACHED_QUARTERS = 200_000;

/**
 * A zone with a memo of its offset per quarter hour. The tz database answers in
 * microseconds through Intl; a request asks dozens of times about the same few
 * hours. A quarter is memoised only when its first and last millisecond share an
 * offset, so a transition inside a quarter is still looked up exactly.
 */
class ZoneOffsets {
  private readonly quarters = new Map<number, number>();

  constructor(readonly zone: IANAZone) {}

  offset(instant: Instant): number {
    const quarter = Math.floor(instant / QUARTER_MS);
    const known = this.quarters.get(quarter);
    if (known !== undefined) return known;
    const first = this.zone.offset(quarter * QUARTER_MS);
    const last = this.zone.offset((quarter + 1) * QUARTER_MS - 1);
    if (first !== last) return this.zone.offset(instant);
    // A memo, not state: bounded, and dropping it changes no answer.
    if (this.quarters.size >= MAX_CACHED_QUARTERS) this.quarters.clear();
    this.quarters.set(quarter, first);
    return first;
  }
}

const zones = new Map<string, ZoneOffsets>();

function zoneOf(name: string): ZoneOffsets {
  let zone = zones.get(name);
  if (!zone) {
    zone = new ZoneOffsets(IANAZone.create(name));
    zones.set(name, zone);
  }
  return zone;
}

export function isValidTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Whether the zone's offset is a whole number of minutes then (not so under old local mean time). */
export function hasWholeMinuteOffset(zoneName: string, instant: Instant): boolean {
  return Number.isInteger(offsetAt(zoneName, instant));
}

/** The zone's offset from UTC, in minutes, at that instant. */
function offsetAt(zoneName: string, instant: Instant): number {
  return zoneOf(zoneName).offset(instant);
}

/**
 * Every instant at which the zone's wall clock reads `date minute`: none inside a
 * spring-forward gap, two inside a fall-back repeated hour, one otherwise.
 * Offsets are taken a day either side, so one transition per ±24 h is assumed
 * (true of every zone in the tz database).
 */
export function instantsOfLocal(zoneName: string, date: CalendarDate, minute: MinuteOfDay): Instant[] {
  const parts = parseCalendarDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${date}`);
  const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day) + minute * MINUTE_MS;
  const zone = zoneOf(zoneName);
  const candidates = new Set([zone.offset(wallAsUtc - DAY_MS), zone.offset(wallAsUtc + DAY_MS)]);
  const found: Instant[] = [];
  for (const offset of candidates) {
    const instant = wallAsUtc - offset * MINUTE_MS;
    if (zone.offset(instant) === offset) found.push(instant);
  }
  return found.sort((a, b) => a - b);
}

/**
 * A wall time resolved to one instant for use as a boundary. In a gap the time is
 * pushed forward by the gap's length (as Temporal's "compatible" does); in a
 * repeated hour a start takes the first occurrence and an end the second, so a
 * window always covers its whole local span.
 */
export function boundaryInstant(zoneName: string, date: CalendarDate, minute: MinuteOfDay, side: 'start' | 'end'): Instant {
  const found = instantsOfLocal(zoneName, date, minute);
  if (found.length > 0) return side === 'start' ? found[0]! : found[found.length - 1]!;
  const parts = parseCalendarDate(date)!;
  const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day) + minute * MINUTE_MS;
  const offsetBefore = zoneOf(zoneName).offset(wallAsUtc - DAY_MS);
  return wallAsUtc - offsetBefore * MINUTE_MS;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * ISO 8601 with the zone's offset at that instant, e.g. `2025-10-22T20:00:00-03:00`;
 * with `millis`, `2025-10-22T20:00:00.123-03:00` (for audit times that may share a second).
 */
export function formatInstant(zoneName: string, instant: Instant, millis = false): string {
  // ISO 8601 offsets have no seconds; the odd historic local-mean-time offset is rounded for display.
  const offset = Math.round(offsetAt(zoneName, instant));
  const wall = new Date(instant + offset * MINUTE_MS);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}` +
    (millis ? `.${pad(wall.getUTCMilliseconds(), 3)}` : '') +
    `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`
  );
}

/** `localPartsOf(…).minute` without the date: candidates need only the time, and the date's text is most of the cost. */
export function localMinuteOf(zoneName: string, instant: Instant): MinuteOfDay {
  // Truncated as `new Date` truncates an odd historic offset's fraction of a millisecond.
  const wall = Math.trunc(instant + offsetAt(zoneName, instant) * MINUTE_MS);
  return Math.floor((((wall % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/** The local calendar date and minute of day of an instant in that zone. */
export function localPartsOf(zoneName: string, instant: Instant): { date: CalendarDate; minute: MinuteOfDay } {
  const wall = new Date(instant + offsetAt(zoneName, instant) * MINUTE_MS);
  return {
    date: wall.toISOString().slice(0, 10),
    minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}
