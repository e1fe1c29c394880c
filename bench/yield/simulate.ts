import { dayOverlaps, violationsOf } from './check.js';
import { ZONE } from './layouts.js';
import type { Booking, Day, Layout, RepackMove, Request, Seating, Strategy } from './model.js';
import { wokiBrainSeating } from './wokiBrain.js';

/** What one strategy achieved on one day. */
export interface DayOutcome {
  requests: number;
  /** Requests that got a booking when they arrived. */
  accepted: number;
  /** Requests that do not cancel: the ones that could still be seated at the close. */
  keepers: number;
  /** Bookings standing at the close. */
  standing: Booking[];
  /** Σ maxSize − party per standing booking. */
  waste: number;
  violations: string[];
  /** Requests seated only after a repack. */
  rescued: number;
}

function book(layout: Layout, day: Day, request: Request, seating: Seating, standing: Booking[], violations: string[]): void {
  violations.push(...violationsOf(layout, day, request, seating, standing));
  standing.push({ ...seating, id: request.id, partySize: request.partySize });
}

function close(layout: Layout, day: Day, standing: Booking[], accepted: number, violations: string[]): DayOutcome {
  violations.push(...dayOverlaps(layout, day, standing));
  const maxOf = new Map(layout.tables.map((t) => [t.id, t.maxSize]));
  const waste = standing.reduce((sum, b) => sum + b.tableIds.reduce((seats, id) => seats + (maxOf.get(id) ?? 0), 0) - b.partySize, 0);
  const keepers = day.requests.filter((r) => !r.cancels).length;
  return { requests: day.requests.length, accepted, keepers, standing, waste, violations, rescued: 0 };
}

/** Plays the day's stream, arrivals and cancellations in order, through one online strategy. */
export function simulateDay(layout: Layout, day: Day, strategy: Strategy): DayOutcome {
  let standing: Booking[] = [];
  const violations: string[] = [];
  let accepted = 0;
  let rescued = 0;
  for (const event of day.events) {
    if (event.kind === 'cancel') {
      standing = standing.filter((b) => b.id !== event.requestId);
      continue;
    }
    const request = event.request;
    const ask = () => strategy.choose({ zone: ZONE, service: day.service, tables: layout.tables, request, bookings: standing });
    let seating = ask();
    if (!seating && strategy.repack) {
      const moves = strategy.repack({ tables: layout.tables, bookings: standing, service: day.service });
      standing = applyMoves(layout, day, standing, moves, violations);
      seating = ask();
      if (seating) rescued++;
    }
    if (!seating) continue;
    accepted++;
    book(layout, day, request, seating, standing, violations);
  }
  return { ...close(layout, day, standing, accepted, violations), rescued };
}

/** Moves standing bookings to other tables, each checked against all the others as they stand after the moves. */
function applyMoves(layout: Layout, day: Day, standing: Booking[], moves: readonly RepackMove[], violations: string[]): Booking[] {
  if (moves.length === 0) return standing;
  const to = new Map(moves.map((move) => [move.bookingId, move.tableIds]));
  const after = standing.map((b) => {
    const tableIds = to.get(b.id);
    return tableIds ? { ...b, tableIds: [...tableIds] } : b;
  });
  const requests = new Map(day.requests.map((r) => [r.id, r]));
  for (const moved of after.filter((b) => to.has(b.id))) {
    const request = requests.get(moved.id)!;
    const others = after.filter((b) => b.id !== moved.id);
    violations.push(...violationsOf(layout, day, request, moved, others).map((v) => `${v} (after repack)`));
  }
  if (to.size !== moves.length || [...to.keys()].some((id) => !standing.some((b) => b.id === id))) {
    violations.push(`${layout.name} ${day.date}: repack moved an unknown or repeated booking`);
  }
  return after;
}

/**
 * Offline greedy with hindsight: knows the whole day, drops the requests that
 * will cancel, and books the rest by seat-minutes (party × duration, then id) with
 * the WokiBrain choice — smallest first to seat the most requests, largest first
 * to hold the most seat-hours. A heuristic, not a bound.
 */
export function offlineGreedyDay(layout: Layout, day: Day, first: 'smallest' | 'largest'): DayOutcome {
  const standing: Booking[] = [];
  const violations: string[] = [];
  const sign = first === 'smallest' ? 1 : -1;
  const order = day.requests
    .filter((r) => !r.cancels)
    .sort((a, b) => sign * (a.partySize * a.durationMinutes - b.partySize * b.durationMinutes) || (a.id < b.id ? -1 : 1));
  for (const request of order) {
    const seating = wokiBrainSeating({ zone: ZONE, service: day.service, tables: layout.tables, request, bookings: standing });
    if (seating) book(layout, day, request, seating, standing, violations);
  }
  return close(layout, day, standing, standing.length, violations);
}
