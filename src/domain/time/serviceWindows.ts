import { addDays, type CalendarDate } from './calendarDate.js';
import { intersect, type Interval } from './interval.js';
import { isOnGrid, MINUTES_PER_DAY, parseLocalTime, type MinuteOfDay } from './localTime.js';
import { boundaryInstant } from './zone.js';

/** A service window as a restaurant writes it: local `HH:mm`, end `00:00` = midnight. */
export interface LocalWindow {
  start: string;
  end: string;
}

interface WindowMinutes {
  start: MinuteOfDay;
  /** Minutes after the start date's midnight; above 1440 when the window crosses midnight. */
  end: number;
}

function toMinutes(window: LocalWindow): WindowMinutes {
  const start = parseLocalTime(window.start)!;
  const end = parseLocalTime(window.end)!;
  return { start, end: end > start ? end : end + MINUTES_PER_DAY };
}

/** Why a list of windows is unusable, or null when it is fine. */
export function describeWindowProblem(windows: readonly LocalWindow[]): string | null {
  const spans: WindowMinutes[] = [];
  for (const window of windows) {
    const start = parseLocalTime(window.start);
    const end = parseLocalTime(window.end);
    if (start === null || end === null) return `window ${window.start}–${window.end} is not HH:mm–HH:mm`;
    if (!isOnGrid(start) || !isOnGrid(end)) return `window ${window.start}–${window.end} is off the 15-minute grid`;
    if (start === end) return `window ${window.start}–${window.end} is empty`;
    spans.push(toMinutes(window));
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.start < spans[i - 1]!.end) return 'service windows overlap';
  }
  const last = spans[spans.length - 1];
  const first = spans[0];
  if (last && first && last.end > MINUTES_PER_DAY && last.end - MINUTES_PER_DAY > first.start) {
    return "a window crossing midnight overlaps the next day's first window";
  }
  return null;
}

/**
 * The service windows of one date as instants, sorted and disjoint. No windows
 * means the whole local day; a window ending at or before its start ends on the
 * next date.
 */
export function resolveServiceWindows(zone: string, date: CalendarDate, windows: readonly LocalWindow[] | undefined): Interval[] {
  const local = windows && windows.length > 0 ? windows.map(toMinutes) : [{ start: 0, end: MINUTES_PER_DAY }];
  const resolved = local
    .map((window) => ({
      start: boundaryInstant(zone, date, window.start, 'start'),
      end: endBoundary(zone, date, window.end),
    }))
    .filter((interval) => interval.start < interval.end)
    .sort((a, b) => a.start - b.start);
  return mergeOverlapping(resolved);
}

/**
 * In a fall-back repeated hour an end takes the later occurrence and a start the
 * earlier, so two windows apart on the wall clock (00:00–01:00, 01:15–01:30) can
 * overlap as instants. Their union is open throughout; keeping them apart would
 * let one booking lie in both. Windows that only touch stay separate.
 */
function mergeOverlapping(sorted: Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const window of sorted) {
    const last = merged.at(-1);
    if (last && window.start < last.end) last.end = Math.max(last.end, window.end);
    else merged.push({ ...window });
  }
  return merged;
}

function endBoundary(zone: string, date: CalendarDate, minutesAfterMidnight: number): number {
  const days = Math.floor(minutesAfterMidnight / MINUTES_PER_DAY);
  return boundaryInstant(zone, addDays(date, days), minutesAfterMidnight % MINUTES_PER_DAY, 'end');
}

/** The requested window as instants; an open side is unbounded. */
export function resolveRequestedWindow(
  zone: string,
  date: CalendarDate,
  windows: readonly LocalWindow[] | undefined,
  windowStart: MinuteOfDay | undefined,
  windowEnd: MinuteOfDay | undefined,
): Interval {
  const local = windows && windows.length > 0 ? windows.map(toMinutes) : [];
  const firstOpening = local.length > 0 ? Math.min(...local.map((w) => w.start)) : 0;
  const lateClosing = Math.max(0, ...local.filter((w) => w.end > MINUTES_PER_DAY).map((w) => w.end - MINUTES_PER_DAY));

  // A time before the first opening but within a window that crossed midnight is that night's small hours.
  const dayOffset = (minute: number, inclusive: boolean): number =>
    minute < firstOpening && (inclusive ? minute <= lateClosing : minute < lateClosing) ? 1 : 0;

  const start =
    windowStart === undefined
      ? Number.NEGATIVE_INFINITY
      : boundaryInstant(zone, addDays(date, dayOffset(windowStart, false)), windowStart, 'start');
  let end = Number.POSITIVE_INFINITY;
  if (windowEnd !== undefined) {
    // `00:00` as an end always means the midnight that closes the date.
    const days = windowEnd === 0 ? 1 : dayOffset(windowEnd, true);
    end = boundaryInstant(zone, addDays(date, days), windowEnd, 'end');
    if (end <= start) end = boundaryInstant(zone, addDays(date, days + 1), windowEnd, 'end');
  }
  return { start, end };
}

/** Service windows clipped to the requested window; empty when they do not meet. */
export function clipToRequest(service: readonly Interval[], requested: Interval): Interval[] {
  const clipped: Interval[] = [];
  for (const window of service) {
    const part = intersect(window, requested);
    if (part) clipped.push(part);
  }
  return clipped;
}
