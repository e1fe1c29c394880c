import * as fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { SeatBlock } from '../../src/domain/availability/seatBlock.js';
import { startPreferenceOf } from '../../src/domain/seating/candidateOrder.js';
import { discoverSeatings, type Candidate } from '../../src/domain/seating/discoverSeatings.js';
import { searchWindows, type SearchWindows } from '../../src/domain/seating/searchWindow.js';
import type { Interval } from '../../src/domain/time/interval.js';
import { parseLocalTime } from '../../src/domain/time/localTime.js';
import { resolveServiceWindows, type LocalWindow } from '../../src/domain/time/serviceWindows.js';
import { composeInMemory } from '../../src/compose.js';
import { isAppError } from '../../src/errors/catalogue.js';
import {
  bruteForceSeatings,
  DATES,
  opArb,
  permute,
  tableArb,
  windowsArb,
  ZONES,
  type GenOp,
  type GenTable,
} from '../support/engineModel.js';

const MINUTE = 60_000;

interface World {
  zone: string;
  date: string;
  windows: LocalWindow[];
  tables: GenTable[];
}

const worldArb: fc.Arbitrary<World> = fc.record({
  zone: fc.constantFrom(...ZONES),
  date: fc.constantFrom(...DATES),
  windows: windowsArb,
  tables: tableArb,
});

function searchFor(world: World, op: GenOp): SearchWindows | null {
  return searchWindows({
    zone: world.zone,
    date: world.date,
    serviceWindows: world.windows,
    windowStart: op.windowStart === undefined ? undefined : parseLocalTime(op.windowStart)!,
    windowEnd: op.windowEnd === undefined ? undefined : parseLocalTime(op.windowEnd)!,
  });
}

interface Booked {
  id: string;
  tableIds: string[];
  start: number;
  end: number;
  durationMinutes: number;
}

/** Checks every invariant a set of seat-taking bookings must keep. */
function checkBookings(world: World, bookings: readonly Booked[]): void {
  const service = resolveServiceWindows(world.zone, world.date, world.windows);
  for (const booking of bookings) {
    expect(booking.end - booking.start).toBe(booking.durationMinutes * MINUTE);
    const inside = service.filter((w) => w.start <= booking.start && booking.end <= w.end);
    expect(inside, `booking ${booking.id} lies in one service window`).toHaveLength(1);
    const local = DateTime.fromMillis(booking.start, { zone: world.zone });
    expect(local.minute % 15, `${local.toISO()} is on the local grid`).toBe(0);
    expect(local.second).toBe(0);
  }
  for (let i = 0; i < bookings.length; i++) {
    for (let j = i + 1; j < bookings.length; j++) {
      const a = bookings[i]!;
      const b = bookings[j]!;
      const shared = a.tableIds.filter((id) => b.tableIds.includes(id));
      if (shared.length > 0) expect(a.start < b.end && b.start < a.end, `${a.id} and ${b.id} overlap on ${shared}`).toBe(false);
    }
  }
}

function checkCandidates(
  world: World,
  op: GenOp,
  windows: readonly Interval[],
  blocks: readonly SeatBlock[],
  candidates: readonly Candidate[],
): void {
  const byId = new Map(world.tables.map((t) => [t.id, t]));
  for (const candidate of candidates) {
    expect(new Set(candidate.tableIds).size).toBe(candidate.tableIds.length);
    expect([...candidate.tableIds].sort()).toEqual(candidate.tableIds);
    const min = candidate.tableIds.reduce((s, id) => s + byId.get(id)!.minSize, 0);
    const max = candidate.tableIds.reduce((s, id) => s + byId.get(id)!.maxSize, 0);
    expect(min).toBeLessThanOrEqual(op.partySize);
    expect(max).toBeGreaterThanOrEqual(op.partySize);
    expect(candidate.capacity).toEqual({ min, max });
    expect(candidate.kind).toBe(candidate.tableIds.length === 1 ? 'single' : 'combo');
    expect(candidate.end - candidate.start).toBe(op.durationMinutes * MINUTE);
    expect(windows.some((w) => w.start <= candidate.start && candidate.end <= w.end)).toBe(true);
    expect(DateTime.fromMillis(candidate.start, { zone: world.zone }).minute % 15).toBe(0);
    for (const block of blocks) {
      if (candidate.tableIds.includes(block.tableId)) expect(block.start < candidate.end && candidate.start < block.end).toBe(false);
    }
    expect(candidate.rationale.length).toBeGreaterThan(0);
  }
  for (let i = 1; i < candidates.length; i++) expect(candidates[i]!.score).toBeLessThanOrEqual(candidates[i - 1]!.score);
}

describe('engine properties (pure domain)', () => {
  const stats = { checked: 0, several: 0, combos: 0, booked: 0, flushFirst: 0 };
  it('booking the top candidate repeatedly keeps every invariant; discover is exact, deterministic and order-independent', () => {
    fc.assert(
      fc.property(
        worldArb,
        fc.array(opArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 16 }),
        fc.integer({ min: 1, max: 6 }),
        (world, ops, permutationKeys, limit) => {
          const blocks: SeatBlock[] = [];
          const bookings: Booked[] = [];
          for (const [index, op] of ops.entries()) {
            const area = searchFor(world, op);
            if (!area) continue;
            const { windows, service } = area;
            const prefer = startPreferenceOf(op);
            const request = {
              zone: world.zone,
              windows,
              service,
              prefer,
              partySize: op.partySize,
              durationMinutes: op.durationMinutes,
              limit,
            };
            const candidates = discoverSeatings({ ...request, tables: world.tables, blocks });
            checkCandidates(world, op, windows, blocks, candidates);

            // Deterministic, and independent of the order of tables and blocks.
            expect(discoverSeatings({ ...request, tables: world.tables, blocks })).toEqual(candidates);
            expect(
              discoverSeatings({
                ...request,
                tables: permute(world.tables, permutationKeys),
                blocks: permute(blocks, [...permutationKeys].reverse()),
              }),
            ).toEqual(candidates);

            // Complete and correctly ordered: equal to exhaustive enumeration on small sectors.
            if (world.tables.length <= 7) {
              const expected = bruteForceSeatings(world.tables, blocks, area, prefer, op.partySize, op.durationMinutes, limit);
              expect(candidates.map((c) => ({ tableIds: c.tableIds, start: c.start }))).toEqual(expected);
            } else {
              // Completeness on larger sectors: the engine finds something exactly when something exists.
              const exists = bruteForceSeatings(world.tables, blocks, area, prefer, op.partySize, op.durationMinutes, 1).length > 0;
              expect(candidates.length > 0).toBe(exists);
            }
            stats.checked++;
            if (prefer === 'flush') stats.flushFirst++;
            if (candidates.length > 1) stats.several++;
            if (candidates.some((c) => c.kind === 'combo')) stats.combos++;

            const top = candidates[0];
            if (!top) continue;
            const id = `b${index}`;
            stats.booked++;
            bookings.push({ id, tableIds: top.tableIds, start: top.start, end: top.end, durationMinutes: op.durationMinutes });
            for (const tableId of top.tableIds) blocks.push({ tableId, start: top.start, end: top.end, source: { kind: 'booking', id } });
          }
          checkBookings(world, bookings);
        },
      ),
      { numRuns: 150 },
    );
    // The runs were not vacuous: many requests produced candidates, combinations and bookings.
    expect(stats.checked).toBeGreaterThan(300);
    expect(stats.several).toBeGreaterThan(100);
    expect(stats.combos).toBeGreaterThan(30);
    expect(stats.booked).toBeGreaterThan(200);
    expect(stats.flushFirst).toBeGreaterThan(50);
  });

  it('a window request that misses service hours is null; one that meets them yields only grid starts inside service hours', () => {
    fc.assert(
      fc.property(worldArb, opArb, (world, op) => {
        const area = searchFor(world, op);
        const service = resolveServiceWindows(world.zone, world.date, world.windows);
        if (area === null) return;
        expect(area.service).toEqual(service);
        for (const w of area.windows) {
          expect(w.start).toBeLessThan(w.end);
          expect(service.some((s) => s.start <= w.start && w.end <= s.end)).toBe(true);
          expect(DateTime.fromMillis(w.start, { zone: world.zone }).minute % 15).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('engine properties (application layer on composeInMemory)', () => {
  it('the top discover candidate is what create books, at once; the day never holds overlapping bookings', async () => {
    let run = 0;
    const outcomes = { ok: 0, no_capacity: 0, outside_service_window: 0 } as Record<string, number>;
    await fc.assert(
      fc.asyncProperty(worldArb, fc.array(opArb, { minLength: 1, maxLength: 10 }), async (world, ops) => {
        run++;
        const { app } = composeInMemory();
        const admin = { actor: 'admin' };
        await app.registerRestaurant(
          { id: `R${run}`, name: 'R', timezone: world.zone, windows: world.windows.length > 0 ? world.windows : undefined },
          admin,
        );
        await app.addSector({ id: `S${run}`, restaurantId: `R${run}`, name: 'S' }, admin);
        for (const table of world.tables) await app.addTable({ ...table, sectorId: `S${run}`, name: table.id }, admin);
        const where = { restaurantId: `R${run}`, sectorId: `S${run}`, date: world.date };

        const booked: Booked[] = [];
        for (const op of ops) {
          const query = {
            ...where,
            partySize: op.partySize,
            duration: op.durationMinutes,
            windowStart: op.windowStart,
            windowEnd: op.windowEnd,
            limit: 1,
          };
          let topCode = 'ok';
          let top: { tableIds: string[]; start: string; end: string } | undefined;
          try {
            top = (await app.discover(query)).candidates[0];
          } catch (error) {
            if (!isAppError(error)) throw error;
            topCode = error.code;
          }
          const input = {
            ...where,
            partySize: op.partySize,
            durationMinutes: op.durationMinutes,
            windowStart: op.windowStart,
            windowEnd: op.windowEnd,
          };
          let createCode = 'ok';
          try {
            const created = await app.createBooking(input, { actor: 'guest' });
            expect(top).toBeDefined();
            expect(created.status).toBe(201);
            expect(created.body.tableIds).toEqual(top!.tableIds);
            expect(created.body.start).toBe(top!.start);
            expect(created.body.end).toBe(top!.end);
            expect(created.body.date).toBe(world.date);
            booked.push({
              id: created.body.id,
              tableIds: created.body.tableIds,
              start: Date.parse(created.body.start),
              end: Date.parse(created.body.end),
              durationMinutes: created.body.durationMinutes,
            });
          } catch (error) {
            if (!isAppError(error)) throw error;
            createCode = error.code;
          }
          expect(createCode).toBe(topCode);
          outcomes[createCode] = (outcomes[createCode] ?? 0) + 1;
          expect(['ok', 'no_capacity', 'outside_service_window']).toContain(createCode);
        }
        const day = await app.listDay(where);
        expect(day.items.map((b) => b.id).sort()).toEqual(booked.map((b) => b.id).sort());
        checkBookings(
          world,
          day.items.map((b) => ({
            id: b.id,
            tableIds: b.tableIds,
            start: Date.parse(b.start),
            end: Date.parse(b.end),
            durationMinutes: b.durationMinutes,
          })),
        );
      }),
      { numRuns: 60 },
    );
    expect(outcomes.ok).toBeGreaterThan(60);
    expect(outcomes.no_capacity).toBeGreaterThan(10);
  });
});
