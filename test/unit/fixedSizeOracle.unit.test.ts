import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedSizeOracle } from '../../src/domain/seating/fixedSizeOracle.js';

const UNREACHABLE = 0x7fffffff;

/** Every count of every type from `j` on: the sums (in units) that exactly `tables` tables reach. */
function sumsOf(sizes: readonly number[], counts: readonly number[], j: number, tables: number): Set<number> {
  const sums = new Set<number>();
  const walk = (t: number, left: number, sum: number): void => {
    if (t === sizes.length) {
      if (left === 0) sums.add(sum);
      return;
    }
    for (let c = 0; c <= Math.min(counts[t]!, left); c++) walk(t + 1, left - c, sum + c * sizes[t]!);
  };
  walk(j, tables, 0);
  return sums;
}

describe('FixedSizeOracle (pure domain)', () => {
  it('answers every (types from, tables, sum) as trying every count does, within the budget and past 32 units', () => {
    fc.assert(
      fc.property(
        fc.record({
          types: fc.array(fc.record({ size: fc.integer({ min: 1, max: 30 }), count: fc.integer({ min: 0, max: 5 }) }), {
            minLength: 1,
            maxLength: 4,
          }),
          unit: fc.integer({ min: 1, max: 3 }),
          maxTables: fc.integer({ min: 0, max: 8 }),
          budget: fc.integer({ min: 0, max: 160 }),
        }),
        ({ types, unit, maxTables, budget }) => {
          const sizes = types.map((type) => type.size);
          const counts = types.map((type) => type.count);
          const oracle = new FixedSizeOracle(
            sizes.map((size) => ({ minSize: size * unit, maxSize: size })),
            counts,
            maxTables,
            unit,
            budget,
          );
          const highest = Math.floor(budget / unit);
          for (let j = 0; j <= types.length; j++) {
            for (let tables = 0; tables <= maxTables + 1; tables++) {
              const reached = tables > maxTables ? new Set<number>() : sumsOf(sizes, counts, j, tables);
              const within = [...reached].filter((sum) => sum <= highest).sort((a, b) => a - b);
              const least: number[] = [];
              const leastAtLeast: number[] = [];
              for (let sum = 0; sum <= highest + 40; sum++) {
                least.push(oracle.least(j, tables, sum));
                leastAtLeast.push(oracle.leastAtLeast(j, tables, sum));
              }
              const expectedLeast = least.map((_, sum) => (reached.has(sum) && sum <= highest ? sum * unit : UNREACHABLE));
              const expectedAtLeast = least.map((_, sum) => {
                const from = within.find((reachedSum) => reachedSum >= sum);
                return from === undefined ? UNREACHABLE : from * unit;
              });
              expect(least).toEqual(expectedLeast);
              expect(leastAtLeast).toEqual(expectedAtLeast);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
