import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hindsightBound, type HindsightRequest } from '../../src/domain/insight/hindsight.js';
import type { TableCapacity } from '../../src/domain/seating/table.js';

/**
 * The day report's hindsight figure is only worth showing if it is a bound that
 * what happened can never beat: on random small days, with parties seated off the
 * grid (walk-ins, early and late seats) on whatever tables they took, and random
 * extra requests that were never seated, it is at least the parties seated and at
 * most the requests.
 */
const MINUTE = 60_000;
const OPEN = Date.UTC(2025, 9, 22, 23, 0);

const tablesArb = fc.array(fc.record({ minSize: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 4 }) }), {
  minLength: 1,
  maxLength: 5,
});
/** A seating that happened: some tables, any minute (off the grid too), any length (zero too), a party the tables take. */
const seatingArb = fc.record({
  tableMask: fc.integer({ min: 1, max: 31 }),
  startMinute: fc.integer({ min: 0, max: 300 }),
  minutes: fc.integer({ min: 0, max: 150 }),
  partyPick: fc.nat(),
});
/** A request never seated: a party, a stay length and a window of grid starts. */
const askArb = fc.record({
  partySize: fc.integer({ min: 1, max: 12 }),
  quarters: fc.integer({ min: 2, max: 8 }),
  from: fc.integer({ min: 0, max: 20 }),
  flex: fc.integer({ min: 0, max: 6 }),
});

type Seating = typeof seatingArb extends fc.Arbitrary<infer T> ? T : never;
type Ask = typeof askArb extends fc.Arbitrary<infer T> ? T : never;

function seatedParties(tables: readonly TableCapacity[], seatings: Seating[]): HindsightRequest[] {
  const busy = new Map<string, { start: number; end: number }[]>();
  const seated: HindsightRequest[] = [];
  for (const seating of seatings) {
    const chosen = tables.filter((_, i) => seating.tableMask & (1 << i));
    if (chosen.length === 0) continue;
    const start = OPEN + seating.startMinute * MINUTE + (seating.partyPick % 60) * 1000;
    const stay = { start, end: start + seating.minutes * MINUTE };
    const clash = chosen.some((table) => (busy.get(table.id) ?? []).some((other) => other.start < stay.end && stay.start < other.end));
    if (clash) continue;
    for (const table of chosen) busy.set(table.id, [...(busy.get(table.id) ?? []), stay]);
    const min = chosen.reduce((sum, table) => sum + table.minSize, 0);
    const max = chosen.reduce((sum, table) => sum + table.maxSize, 0);
    seated.push({ partySize: min + (seating.partyPick % (max - min + 1)), stays: [stay], tableIds: chosen.map((table) => table.id) });
  }
  return seated;
}

function unseated(asks: Ask[]): HindsightRequest[] {
  return asks.map((ask) => {
    const durationMs = ask.quarters * 15 * MINUTE;
    const stays = [];
    for (let q = 0; q <= ask.flex; q++) {
      const start = OPEN + (ask.from + q) * 15 * MINUTE;
      stays.push({ start, end: start + durationMs });
    }
    return { partySize: ask.partySize, stays };
  });
}

describe('hindsight bound', () => {
  it('is never below the parties seated and never above the requests', () => {
    let above = 0;
    fc.assert(
      fc.property(
        tablesArb,
        fc.array(seatingArb, { maxLength: 12 }),
        fc.array(askArb, { maxLength: 8 }),
        fc.constantFrom(undefined, 2e4, 1),
        (shapes, seatings, asks, maxWork) => {
          const tables = shapes.map(({ minSize, extra }, i) => ({ id: `T${i}`, minSize, maxSize: minSize + extra }));
          const seated = seatedParties(tables, seatings);
          const requests = [...seated, ...unseated(asks)];
          // Small work budgets stop the LP early, or before it starts (every request counts): bounds too.
          const { bound, seatable } = hindsightBound(tables, requests, maxWork === undefined ? {} : { maxWork });
          expect(bound).toBeGreaterThanOrEqual(seated.length);
          expect(bound).toBeLessThanOrEqual(seatable);
          expect(seatable).toBeLessThanOrEqual(requests.length);
          if (bound > seated.length) above++;
        },
      ),
      { numRuns: 400 },
    );
    // Not vacuous: the unseated requests often fit beside what happened.
    expect(above).toBeGreaterThan(50);
  });

  it('counts a party seated on tables that no minimal set would use, and one that held its table for no time', () => {
    const tables = [
      { id: 'A', minSize: 2, maxSize: 4 },
      { id: 'B', minSize: 2, maxSize: 4 },
    ];
    // A couple on both tables (Σmin 4 > 2: no rule would seat it so), and a party seated and finished at once.
    const seated: HindsightRequest[] = [
      { partySize: 2, stays: [{ start: OPEN, end: OPEN + 90 * MINUTE }], tableIds: ['A', 'B'] },
      { partySize: 3, stays: [{ start: OPEN + 30 * MINUTE, end: OPEN + 30 * MINUTE }], tableIds: ['A'] },
    ];
    expect(hindsightBound(tables, seated).bound).toBe(2);
  });
});
