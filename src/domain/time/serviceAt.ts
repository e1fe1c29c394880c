import { addDays, type CalendarDate } from './calendarDate.js';
import type { Interval } from './interval.js';
import { resolveServiceWindows, type LocalWindow } from './serviceWindows.js';
import { localPartsOf, type Instant } from './zone.js';

/** A service window as instants, with the service date it belongs to (the date it opened on). */
export interface ServiceAt {
  date: CalendarDate;
  window: Interval;
}

/**
 * The service window open at `instant`, if any: one opened that local date, or the
 * day before (a window that crosses midnight belongs to the date it starts on).
 */
export function serviceAt(zone: string, windows: readonly LocalWindow[] | undefined, instant: Instant): ServiceAt | null {
  const today = localPartsOf(zone, instant).date;
  for (const date of [addDays(today, -1), today]) {
    const window = resolveServiceWindows(zone, date, windows).find((open) => open.start <= instant && instant < open.end);
    if (window) return { date, window };
  }
  return null;
}

/** The service window of `date` a stay starting at `start` lies in; `null` when none holds its start. */
export function serviceOf(zone: string, windows: readonly LocalWindow[] | undefined, date: CalendarDate, start: Instant): Interval | null {
  return resolveServiceWindows(zone, date, windows).find((open) => open.start <= start && start < open.end) ?? null;
}
