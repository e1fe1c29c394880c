import { gridStarts } from '../../src/domain/availability/startSet.js';
import { hindsightBound, type HindsightRequest } from '../../src/domain/insight/hindsight.js';
import { SLOT_MINUTES } from '../../src/domain/time/localTime.js';
import type { Day, Layout } from './model.js';

const MINUTE_MS = 60_000;
const SLOT_MS = SLOT_MINUTES * MINUTE_MS;

export interface CountBound {
  /** No strategy can have more bookings standing at the close. */
  count: number;
  /** No strategy can hold more Σ party × duration (minutes) in the bookings standing at the close. */
  seatMinutes: number;
}

/** The benchmark measures the whole LP, however big: it runs offline. */
const UNLIMITED = Number.POSITIVE_INFINITY;

/**
 * A true upper bound on how many bookings any strategy, online or offline, can
 * have standing at the close, and on their seat-minutes: the day report's
 * hindsight bound (`src/domain/insight/hindsight.ts`) over the requests that do
 * not cancel (only those can stand at the close), each free to take any grid
 * start of its windows.
 */
export function seatedCountBound(layout: Layout, day: Day): CountBound {
  const requests: HindsightRequest[] = [];
  for (const request of day.requests) {
    if (request.cancels) continue;
    const durationMs = request.durationMinutes * MINUTE_MS;
    const stays = gridStarts(request.windows, durationMs, SLOT_MS).map((start) => ({ start, end: start + durationMs }));
    requests.push({ partySize: request.partySize, stays });
  }
  const count = hindsightBound(layout.tables, requests, { maxWork: UNLIMITED }).bound;
  const seatMinutes = hindsightBound(layout.tables, requests, {
    maxWork: UNLIMITED,
    weight: (request) => (request.partySize * (request.stays[0]!.end - request.stays[0]!.start)) / MINUTE_MS,
  }).bound;
  return { count, seatMinutes };
}
