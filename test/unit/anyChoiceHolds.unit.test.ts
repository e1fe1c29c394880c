import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyChoiceHolds, type CapacityType } from '../../src/domain/seating/capacityOracle.js';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Every count of every type: does some choice seat the party (Σ maxSize ≥ party, Σ minSize ≤ party)? */
function bruteForceHolds(types: readonly { minSize: number; maxSize: number }[], counts: readonly number[], partySize: number): boolean {
  const walk = (j: number, min: number, max: number): boolean => {
    if (j === types.length) return max >= partySize && min <= partySize;
    for (let c = 0; c <= counts[j]!; c++) if (walk(j + 1, min + c * types[j]!.minSize, max + c * types[j]!.maxSize)) return true;
    return false;
  };
  return walk(0, 0, 0);
}

/** Table types in seats: often fixed (min = max), often sharing a factor, so the search counts in units of it. */
const roomArb = fc.record({
  factor: fc.integer({ min: 1, max: 3 }),
  types: fc.uniqueArray(
    fc.record({
      max: fc.integer({ min: 1, max: 9 }),
      fixed: fc.boolean(),
      low: fc.integer({ min: 1, max: 9 }),
      count: fc.integer({ min: 0, max: 4 }),
    }),
    { minLength: 1, maxLength: 5, selector: (type) => type.max },
  ),
  partySize: fc.integer({ min: 1, max: 60 }),
});

describe('anyChoiceHolds (pure domain)', () => {
  it('answers as trying every count of every type does, fixed sizes or ranges', () => {
    let holds = 0;
    let refused = 0;
    fc.assert(
      fc.property(roomArb, ({ factor, types, partySize }) => {
        const seats = types
          .map(({ max, fixed, low, count }) => ({
            maxSize: max * factor,
            minSize: fixed ? max * factor : Math.min(low, max) * factor,
            count,
          }))
          .sort((a, b) => b.maxSize - a.maxSize || a.minSize - b.minSize);
        const unit = seats.reduce((g, type) => gcd(g, type.maxSize), 0);
        const scaled: CapacityType[] = seats.map((type) => ({ minSize: type.minSize, maxSize: type.maxSize / unit }));
        const lowest = Math.ceil(partySize / unit);
        const cap = lowest + scaled[0]!.maxSize;
        const counts = seats.map((type) => type.count);
        const expected = bruteForceHolds(seats, counts, partySize);
        expect(anyChoiceHolds(scaled, counts, lowest, cap, partySize, unit)).toBe(expected);
        if (expected) holds++;
        else refused++;
      }),
      { numRuns: 2_000 },
    );
    // Not vacuous: both answers came up often.
    expect(holds).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });
});
