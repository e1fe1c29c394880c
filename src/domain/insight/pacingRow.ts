import { coversByInterval, type CoverSource } from '../restaurants/pacing.js';
import { SLOT_MINUTES } from '../time/localTime.js';
import type { Interval } from '../time/interval.js';
import type { Instant } from '../time/zone.js';

const SLOT_MS = SLOT_MINUTES * 60_000;

export interface PacingCell {
  /** The interval's first instant (:00/:15/:30/:45 local). */
  start: Instant;
  /** Covers whose stay starts in it, counted as pacing counts them (all but cancelled and no-shows). */
  covers: number;
}

/**
 * Covers per 15-minute interval over the service windows: every interval of
 * service hours, empty ones too, and any other interval some stay started in.
 * Window starts are on the grid, so stepping in elapsed time from them meets
 * every interval pacing keys covers by, across DST changes too.
 */
export function pacingRow(zone: string, service: readonly Interval[], bookings: Iterable<CoverSource>): PacingCell[] {
  const covers = coversByInterval(zone, bookings);
  const starts = new Set<Instant>(covers.keys());
  for (const window of service) {
    for (let t = window.start; t < window.end; t += SLOT_MS) starts.add(t);
  }
  return [...starts].sort((a, b) => a - b).map((start) => ({ start, covers: covers.get(start) ?? 0 }));
}
