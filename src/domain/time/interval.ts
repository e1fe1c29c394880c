import type { Instant } from './zone.js';

/** A half-open interval `[start, end)` of instants: intervals that touch do not overlap. */
export interface Interval {
  start: Instant;
  end: Instant;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

export function intersect(a: Interval, b: Interval): Interval | null {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start < end ? { start, end } : null;
}
