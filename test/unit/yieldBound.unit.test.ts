import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridStarts } from '../../src/domain/availability/startSet.js';
import { seatedCountBound } from '../../bench/yield/countBound.js';
import type { Day, Layout, Request } from '../../bench/yield/model.js';

/**
 * The yield benchmark's "% of bound" only means something if the bound is one:
 * on rooms small enough to search exhaustively, no real seating of the day beats it.
 */
const MINUTE = 60_000;
const OPEN = Date.UTC(2025, 9, 22, 15, 0);

const tablesArb = fc.array(fc.record({ minSize: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 4 }) }), {
  minLength: 1,
  maxLength: 3,
});
const requestArb = fc.record({
  partySize: fc.integer({ min: 1, max: 10 }),
  quarters: fc.integer({ min: 2, max: 6 }),
  from: fc.integer({ min: 0, max: 12 }),
  flex: fc.integer({ min: 0, max: 3 }),
  cancels: fc.boolean(),
});

/** The most bookings, and the most Σ party × minutes, any assignment of starts and table sets can hold at once. */
function optimum(layout: Layout, requests: readonly Request[]): { count: number; seatMinutes: number } {
  const tables = layout.tables;
  const sets: number[][] = [];
  for (let mask = 1; mask < 1 << tables.length; mask++) sets.push(tables.map((_, i) => i).filter((i) => mask & (1 << i)));
  const busy: [number, number][][] = tables.map(() => []);
  const keepers = requests.filter((r) => !r.cancels);
  let count = 0;
  let seatMinutes = 0;
  const place = (i: number, seated: number, held: number): void => {
    if (i === keepers.length) {
      count = Math.max(count, seated);
      seatMinutes = Math.max(seatMinutes, held);
      return;
    }
    place(i + 1, seated, held);
    const request = keepers[i]!;
    const duration = request.durationMinutes * MINUTE;
    for (const start of gridStarts(request.windows, duration, 15 * MINUTE)) {
      for (const set of sets) {
        const min = set.reduce((sum, t) => sum + tables[t]!.minSize, 0);
        const max = set.reduce((sum, t) => sum + tables[t]!.maxSize, 0);
        if (min > request.partySize || request.partySize > max) continue;
        if (set.some((t) => busy[t]!.some(([from, to]) => from < start + duration && start < to))) continue;
        for (const t of set) busy[t]!.push([start, start + duration]);
        place(i + 1, seated + 1, held + request.partySize * request.durationMinutes);
        for (const t of set) busy[t]!.pop();
      }
    }
  };
  place(0, 0, 0);
  return { count, seatMinutes };
}

describe('yield benchmark upper bound', () => {
  it('is never below the best seating an exhaustive search finds', () => {
    let tight = 0;
    fc.assert(
      fc.property(tablesArb, fc.array(requestArb, { minLength: 1, maxLength: 4 }), (shapes, asks) => {
        const layout: Layout = {
          name: 'tiny',
          tables: shapes.map(({ minSize, extra }, i) => ({ id: `T${i}`, minSize, maxSize: minSize + extra })),
          service: [],
        };
        const requests: Request[] = asks.map((ask, i) => {
          const start = OPEN + ask.from * 15 * MINUTE;
          const end = start + (ask.quarters + ask.flex) * 15 * MINUTE;
          return {
            id: `R${i}`,
            partySize: ask.partySize,
            durationMinutes: ask.quarters * 15,
            desiredMinute: 0,
            windows: [{ start, end }],
            serviceIndex: 0,
            cancels: ask.cancels,
          };
        });
        const day: Day = { date: '2025-10-22', service: [{ start: OPEN, end: OPEN + 10 * 60 * MINUTE }], requests, events: [] };
        const bound = seatedCountBound(layout, day);
        const best = optimum(layout, requests);
        expect(bound.count).toBeGreaterThanOrEqual(best.count);
        expect(bound.seatMinutes).toBeGreaterThanOrEqual(best.seatMinutes);
        if (bound.count === best.count) tight++;
      }),
      { numRuns: 300 },
    );
    // Not vacuous: a bound far above every optimum would pass the checks above too.
    expect(tight).toBeGreaterThan(250);
  });
});
