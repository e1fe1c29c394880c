import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  repackDay,
  type RepackBooking,
  type RepackFixedBlock,
  type RepackInput,
  type RepackResult,
} from '../../src/domain/seating/repack.js';
import type { TableCapacity } from '../../src/domain/seating/table.js';
import type { Interval } from '../../src/domain/time/interval.js';

const QUARTER = 15 * 60_000;
/** The day runs from quarter 44 (11:00) to quarter 96 (24:00); service is 12–16 and 20–24. */
const FIRST_QUARTER = 44;
const LAST_QUARTER = 96;
const WINDOWS: Interval[] = [
  { start: 48 * QUARTER, end: 64 * QUARTER },
  { start: 80 * QUARTER, end: 96 * QUARTER },
];

interface World {
  tables: TableCapacity[];
  fixedBlocks: RepackFixedBlock[];
  bookings: RepackBooking[];
  windows: Interval[];
}

const tablesArb: fc.Arbitrary<TableCapacity[]> = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }),
      minSize: fc.integer({ min: 1, max: 4 }),
      extra: fc.integer({ min: 0, max: 6 }),
    }),
    { selector: (t) => t.id, minLength: 1, maxLength: 12 },
  )
  .map((list) => list.map(({ id, minSize, extra }) => ({ id, minSize, maxSize: minSize + extra })));

const stayArb = fc.record({
  startQuarter: fc.integer({ min: FIRST_QUARTER, max: LAST_QUARTER - 1 }),
  quarters: fc.integer({ min: 1, max: 10 }),
});

const requestArb = fc.record({ party: fc.integer({ min: 1, max: 12 }), stay: stayArb, pick: fc.nat() });

const busyOn = (busy: Map<string, Interval[]>, id: string, start: number, end: number): boolean =>
  (busy.get(id) ?? []).some((b) => b.start < end && start < b.end);

/** Every set of up to 3 tables: enough variety to make wasteful starting days. */
function smallSets(tables: readonly TableCapacity[]): TableCapacity[][] {
  const sets: TableCapacity[][] = [];
  const n = tables.length;
  for (let a = 0; a < n; a++) {
    sets.push([tables[a]!]);
    for (let b = a + 1; b < n; b++) {
      sets.push([tables[a]!, tables[b]!]);
      for (let c = b + 1; c < n; c++) sets.push([tables[a]!, tables[b]!, tables[c]!]);
    }
  }
  return sets;
}

/** A valid day: fixed blocks first, then requests placed greedily on a random feasible free set. */
const worldArb: fc.Arbitrary<World> = fc
  .record({
    tables: tablesArb,
    blocks: fc.array(fc.record({ table: fc.nat(), stay: stayArb }), { maxLength: 5 }),
    requests: fc.array(requestArb, { minLength: 8, maxLength: 40 }),
    windows: fc.constantFrom(WINDOWS, WINDOWS.slice(0, 1), [] as Interval[]),
  })
  .map(({ tables, blocks, requests, windows }) => {
    const busy = new Map<string, Interval[]>();
    const take = (id: string, start: number, end: number): void => {
      const list = busy.get(id) ?? [];
      list.push({ start, end });
      busy.set(id, list);
    };
    const fixedBlocks: RepackFixedBlock[] = blocks.map(({ table, stay }) => {
      const tableId = tables[table % tables.length]!.id;
      const start = stay.startQuarter * QUARTER;
      const end = Math.min(LAST_QUARTER, stay.startQuarter + stay.quarters) * QUARTER;
      take(tableId, start, end);
      return { tableId, start, end };
    });
    const sets = smallSets(tables);
    const bookings: RepackBooking[] = [];
    requests.forEach(({ party, stay, pick }, i) => {
      const start = stay.startQuarter * QUARTER;
      const end = Math.min(LAST_QUARTER, stay.startQuarter + stay.quarters) * QUARTER;
      const feasible = sets.filter((set) => {
        const min = set.reduce((s, t) => s + t.minSize, 0);
        const max = set.reduce((s, t) => s + t.maxSize, 0);
        return min <= party && party <= max && set.every((t) => !busyOn(busy, t.id, start, end));
      });
      const chosen = feasible[pick % Math.max(1, feasible.length)];
      if (!chosen) return;
      for (const t of chosen) take(t.id, start, end);
      bookings.push({ id: `b${String(i).padStart(2, '0')}`, partySize: party, start, end, tableIds: chosen.map((t) => t.id) });
    });
    return { tables, fixedBlocks, bookings, windows };
  });

const inputOf = (world: World): RepackInput => ({ ...world });

function applyResult(world: World, result: RepackResult): RepackBooking[] {
  const moves = new Map(result.assignments.map((a) => [a.bookingId, a.to]));
  return world.bookings.map((b) => ({ ...b, tableIds: moves.get(b.id) ?? b.tableIds }));
}

function wasteOf(tables: readonly TableCapacity[], bookings: readonly RepackBooking[]): number {
  const max = new Map(tables.map((t) => [t.id, t.maxSize]));
  return bookings.reduce((sum, b) => sum + b.tableIds.reduce((s, id) => s + max.get(id)!, 0) - b.partySize, 0);
}

/** Longest free stretch on one table inside one window, by walking every table's busy list. */
function largestGap(world: World, bookings: readonly RepackBooking[]): number {
  let largest = 0;
  for (const table of world.tables) {
    const busy = [...bookings.filter((b) => b.tableIds.includes(table.id)), ...world.fixedBlocks.filter((f) => f.tableId === table.id)];
    for (const window of world.windows) {
      const edges = [window.start, window.end, ...busy.flatMap((b) => [b.start, b.end])]
        .filter((t) => t >= window.start && t <= window.end)
        .sort((a, b) => a - b);
      // A free stretch runs between consecutive edges when no busy interval covers its middle.
      let runStart: number | null = null;
      for (let i = 0; i + 1 < edges.length; i++) {
        const a = edges[i]!;
        const b = edges[i + 1]!;
        if (a === b) continue;
        const middle = (a + b) / 2;
        const free = !busy.some((x) => x.start <= middle && middle < x.end);
        if (free) {
          runStart ??= a;
          largest = Math.max(largest, b - runStart);
        } else {
          runStart = null;
        }
      }
    }
  }
  return largest;
}

function expectSound(world: World, result: RepackResult): RepackBooking[] {
  const after = applyResult(world, result);
  const byId = new Map(world.tables.map((t) => [t.id, t]));
  const original = new Map(world.bookings.map((b) => [b.id, b]));
  // Assignments: sorted by booking id, only real changes, `from` is the input's set.
  const ids = result.assignments.map((a) => a.bookingId);
  expect(ids).toEqual([...ids].sort());
  expect(new Set(ids).size).toBe(ids.length);
  for (const a of result.assignments) {
    const before = original.get(a.bookingId);
    expect(before).toBeDefined();
    expect(a.from).toEqual([...before!.tableIds].sort());
    expect(a.to).toEqual([...a.to].sort());
    expect(a.to).not.toEqual(a.from);
  }
  for (const b of after) {
    // Same party, same time; a valid set of distinct tables of the sector.
    const input = original.get(b.id)!;
    expect([b.partySize, b.start, b.end]).toEqual([input.partySize, input.start, input.end]);
    expect(new Set(b.tableIds).size).toBe(b.tableIds.length);
    const tables = b.tableIds.map((id) => byId.get(id));
    expect(tables.every((t) => t !== undefined)).toBe(true);
    const min = tables.reduce((s, t) => s + t!.minSize, 0);
    const max = tables.reduce((s, t) => s + t!.maxSize, 0);
    expect(min <= b.partySize && b.partySize <= max).toBe(true);
  }
  // No booking overlaps another booking or a fixed block (fixed blocks may overlap each other).
  const seated = after.flatMap((b) => b.tableIds.map((tableId) => ({ tableId, start: b.start, end: b.end })));
  const busy = [...seated, ...world.fixedBlocks];
  for (let i = 0; i < seated.length; i++) {
    for (let j = i + 1; j < busy.length; j++) {
      const x = busy[i]!;
      const y = busy[j]!;
      if (x.tableId === y.tableId && x.start < y.end && y.start < x.end) {
        expect.fail(`overlap on ${x.tableId}: [${x.start}, ${x.end}) and [${y.start}, ${y.end})`);
      }
    }
  }
  expect(result.wasteBefore).toBe(wasteOf(world.tables, world.bookings));
  expect(result.wasteAfter).toBe(wasteOf(world.tables, after));
  expect(result.wasteAfter).toBeLessThanOrEqual(result.wasteBefore);
  expect(result.largestGapBefore).toBe(largestGap(world, world.bookings));
  expect(result.largestGapAfter).toBe(largestGap(world, after));
  expect(result.pinnedBookingIds).toEqual([]);
  return after;
}

function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: (keys[i % Math.max(1, keys.length)] ?? 0) + i * 1e-6 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

describe('repackDay properties', () => {
  it('is sound: same times, valid sets, no overlap, waste never rises, reported figures recompute', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        expectSound(world, repackDay(inputOf(world)));
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order of its inputs', () => {
    fc.assert(
      fc.property(worldArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 16 }), (world, keys) => {
        const shuffled: RepackInput = {
          tables: permute(world.tables, keys),
          bookings: permute(world.bookings, [...keys].reverse()).map((b) => ({ ...b, tableIds: permute(b.tableIds, keys) })),
          fixedBlocks: permute(world.fixedBlocks, keys),
          windows: permute(world.windows, keys),
        };
        expect(repackDay(shuffled)).toEqual(repackDay(inputOf(world)));
      }),
      { numRuns: 100 },
    );
  });

  it('reaches a fixpoint: repacking its own output changes nothing', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const first = repackDay(inputOf(world));
        const again = repackDay({ ...inputOf(world), bookings: applyResult(world, first) });
        expect(again.assignments).toEqual([]);
        expect(again.wasteBefore).toBe(first.wasteAfter);
        expect(again.wasteAfter).toBe(first.wasteAfter);
        expect(again.largestGapAfter).toBe(first.largestGapAfter);
      }),
      { numRuns: 100 },
    );
  });

  it('leaves no booking a strictly less wasteful free set of tables', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const after = applyResult(world, repackDay(inputOf(world)));
        const byId = new Map(world.tables.map((t) => [t.id, t]));
        for (const booking of after) {
          const current = booking.tableIds.reduce((s, id) => s + byId.get(id)!.maxSize, 0) - booking.partySize;
          const others = after.filter((o) => o.id !== booking.id);
          const free = world.tables.filter(
            (t) =>
              !others.some((o) => o.tableIds.includes(t.id) && o.start < booking.end && booking.start < o.end) &&
              !world.fixedBlocks.some((f) => f.tableId === t.id && f.start < booking.end && booking.start < f.end),
          );
          // Every subset of the free tables (at most 2^12).
          for (let mask = 1; mask < 1 << free.length; mask++) {
            const set = free.filter((_, i) => mask & (1 << i));
            const min = set.reduce((s, t) => s + t.minSize, 0);
            const max = set.reduce((s, t) => s + t.maxSize, 0);
            if (min <= booking.partySize && booking.partySize <= max) expect(max - booking.partySize).toBeGreaterThanOrEqual(current);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
