import type { Instant } from '../time/zone.js';
import { seatingsOnGrid, stayGridAt, type Candidate, type SeatingDay } from './discoverSeatings.js';

const MINUTE_MS = 60_000;
/** A short stay is cut in steps of this many minutes; the party then keeps the tables up to the next booking. */
const SHORT_STEP_MINUTES = 15;
/** How far ahead a full floor looks for the soonest time the party could sit down. */
export const WAIT_HORIZON_MS = 12 * 60 * MINUTE_MS;

export interface WalkInSearch {
  zone: string;
  partySize: number;
  /** Now, on the minute: the walk-in's start. */
  start: Instant;
  durationMinutes: number;
  /** Seat the party for less than its stay, up to the next booking on its tables, rather than refuse it. */
  allowShort: boolean;
}

/**
 * What a walk-in gets: a seating for the whole stay from now; a shorter one (only
 * when allowed); or none, with the soonest instant within `WAIT_HORIZON_MS` at
 * which the whole stay would fit (`null` when none does), for the host to quote.
 */
export type WalkInPlan =
  { kind: 'full'; seating: Candidate } | { kind: 'short'; seating: Candidate } | { kind: 'none'; nextFreeAt: Instant | null };

/**
 * Plans a walk-in on a seating day whose service runs from now to at least
 * `WAIT_HORIZON_MS` plus the stay: the engine's order among the tables free from
 * now for the whole stay. Pure.
 */
export function planWalkIn(day: SeatingDay, search: WalkInSearch): WalkInPlan {
  const best = (start: Instant, minutes: number) =>
    seatingsOnGrid(stayGridAt(day, [start], minutes), { zone: search.zone, prefer: 'earliest', partySize: search.partySize, limit: 1 })[0];

  const full = best(search.start, search.durationMinutes);
  if (full) return { kind: 'full', seating: full };
  if (search.allowShort) {
    for (let minutes = search.durationMinutes - SHORT_STEP_MINUTES; minutes >= SHORT_STEP_MINUTES; minutes -= SHORT_STEP_MINUTES) {
      const short = best(search.start, minutes);
      if (short)
        return { kind: 'short', seating: { ...short, end: keptUntil(day, short, search.start + search.durationMinutes * MINUTE_MS) } };
    }
  }
  return { kind: 'none', nextFreeAt: soonestFit(day, search, best) };
}

/** The end of a short stay: the first instant one of its tables is wanted again, never past the whole stay. */
function keptUntil(day: SeatingDay, seating: Candidate, wholeStayEnd: Instant): Instant {
  let end = wholeStayEnd;
  for (const tableId of seating.tableIds) {
    const gaps = day.gaps[day.tables.findIndex((table) => table.id === tableId)] ?? [];
    const gap = gaps.find((free) => free.start <= seating.start && seating.start < free.end);
    if (gap) end = Math.min(end, gap.end);
  }
  return end;
}

/** The soonest instant a table frees (a gap opens) at which the whole stay fits. */
function soonestFit(
  day: SeatingDay,
  search: WalkInSearch,
  best: (start: Instant, minutes: number) => Candidate | undefined,
): Instant | null {
  const horizon = search.start + WAIT_HORIZON_MS;
  const opens = new Set<Instant>();
  for (const gaps of day.gaps) for (const gap of gaps) if (gap.start > search.start && gap.start <= horizon) opens.add(gap.start);
  for (const start of [...opens].sort((a, b) => a - b)) if (best(start, search.durationMinutes)) return start;
  return null;
}
