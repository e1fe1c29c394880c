import type { CalendarDate } from '../time/calendarDate.js';
import type { Interval } from '../time/interval.js';
import type { MinuteOfDay } from '../time/localTime.js';
import { clipToRequest, resolveRequestedWindow, resolveServiceWindows, type LocalWindow } from '../time/serviceWindows.js';

export interface SearchWindowRequest {
  zone: string;
  date: CalendarDate;
  serviceWindows: readonly LocalWindow[] | undefined;
  windowStart?: MinuteOfDay | undefined;
  windowEnd?: MinuteOfDay | undefined;
}

export interface SearchWindows {
  /** The day's service windows as instants, sorted. */
  service: Interval[];
  /** Where a booking may lie: each service window clipped to the requested window. */
  windows: Interval[];
}

/** Service hours of the date and the part of them the guest asked for; `null` when the request misses service altogether. */
export function searchWindows(request: SearchWindowRequest): SearchWindows | null {
  const service = resolveServiceWindows(request.zone, request.date, request.serviceWindows);
  const requested = resolveRequestedWindow(request.zone, request.date, request.serviceWindows, request.windowStart, request.windowEnd);
  const clipped = clipToRequest(service, requested);
  return clipped.length > 0 ? { service, windows: clipped } : null;
}

/** The span that holds every interval (windows sorted or not): what availability must read blocks for. */
export function spanOf(intervals: readonly Interval[]): Interval {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const interval of intervals) {
    start = Math.min(start, interval.start);
    end = Math.max(end, interval.end);
  }
  return { start, end };
}
