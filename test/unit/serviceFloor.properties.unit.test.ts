import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeInMemory } from '../../src/compose.js';
import { occupancyOf, type Booking } from '../../src/domain/bookings/booking.js';
import { overlaps, type Interval } from '../../src/domain/time/interval.js';
import { isAppError } from '../../src/errors/catalogue.js';

/**
 * Random evenings on the floor — bookings, seats (early, late, extended), finishes,
 * no-shows by staff and by the sweeper, undos, walk-ins (short or not), cancels,
 * the clock moving on — never leave two bookings holding one table at once,
 * counting what seated parties and walk-ins really hold, and the store's seat rows
 * are always exactly those occupancies.
 */

const DATE = '2025-11-03';
const local = (time: string) => Date.parse(`${DATE}T${time}:00-03:00`);
const MINUTE = 60_000;

type Op =
  | { kind: 'book'; partySize: number; duration: number; startSlot: number }
  | { kind: 'seat'; pick: number; extend: boolean }
  | { kind: 'finish' | 'noShow' | 'undo' | 'cancel'; pick: number }
  | { kind: 'walkIn'; partySize: number; duration: number; allowShort: boolean }
  | { kind: 'sweep' }
  | { kind: 'wait'; minutes: number };

const partySize = fc.integer({ min: 1, max: 7 });
const duration = fc.integer({ min: 2, max: 8 }).map((quarters) => quarters * 15);
const pick = fc.nat(50);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('book' as const), partySize, duration, startSlot: fc.nat(14) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('seat' as const), pick, extend: fc.boolean() }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constantFrom('finish' as const, 'noShow' as const, 'undo' as const, 'cancel' as const), pick }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('walkIn' as const), partySize, duration, allowShort: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'sweep' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 40 }) }), weight: 3 },
);
const tablesArb = fc.array(
  fc
    .record({ min: fc.integer({ min: 1, max: 2 }), extra: fc.integer({ min: 0, max: 4 }) })
    .map(({ min, extra }) => ({ min, max: min + extra })),
  { minLength: 1, maxLength: 4 },
);

function expectNoOverlap(bookings: readonly Booking[]): void {
  const held = bookings.flatMap((booking) => {
    const interval = occupancyOf(booking);
    return interval ? booking.tableIds.map((tableId) => ({ tableId, id: booking.id, ...interval })) : [];
  });
  for (const [i, a] of held.entries()) {
    for (const b of held.slice(i + 1)) {
      if (a.tableId === b.tableId) expect(overlaps(a, b), `${a.id} and ${b.id} share ${a.tableId}`).toBe(false);
    }
  }
}

const key = ({ tableId, start, end }: Interval & { tableId: string }, id: string) => `${tableId}|${id}|${start}|${end}`;

describe('service floor properties (application layer on composeInMemory)', () => {
  it('no lifecycle step, walk-in or sweep ever lets two bookings hold one table at once', async () => {
    let run = 0;
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(tablesArb, fc.array(opArb, { minLength: 10, maxLength: 40 }), async (tables, ops) => {
        run++;
        const clock = { at: local('19:00'), now: () => clock.at };
        const { app, deps } = composeInMemory({ clock });
        const R = `R${run}`;
        const S = `S${run}`;
        await app.registerRestaurant({
          id: R,
          name: R,
          timezone: 'America/Argentina/Buenos_Aires',
          windows: [{ start: '19:00', end: '23:45' }],
        });
        await app.addSector({ id: S, restaurantId: R, name: S });
        for (const [i, table] of tables.entries())
          await app.addTable({ id: `${S}-T${i}`, sectorId: S, name: `T${i}`, minSize: table.min, maxSize: table.max });
        const ids: string[] = [];
        const chosen = (n: number) => ids[n % Math.max(ids.length, 1)] ?? 'none';

        for (const op of ops) {
          try {
            switch (op.kind) {
              case 'book': {
                const start = 19 * 60 + op.startSlot * 15;
                const windowStart = `${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')}`;
                ids.push(
                  (
                    await app.createBooking({
                      restaurantId: R,
                      sectorId: S,
                      date: DATE,
                      partySize: op.partySize,
                      durationMinutes: op.duration,
                      windowStart,
                    })
                  ).body.id,
                );
                break;
              }
              case 'seat':
                await app.seatBooking(chosen(op.pick), { extend: op.extend });
                break;
              case 'finish':
                await app.finishBooking(chosen(op.pick));
                break;
              case 'noShow':
                await app.markNoShow(chosen(op.pick));
                break;
              case 'undo':
                await app.undoFloorStep(chosen(op.pick));
                break;
              case 'cancel':
                await app.cancelBooking(chosen(op.pick));
                break;
              case 'walkIn':
                ids.push(
                  (
                    await app.seatWalkIn({
                      restaurantId: R,
                      sectorId: S,
                      partySize: op.partySize,
                      durationMinutes: op.duration,
                      allowShort: op.allowShort,
                    })
                  ).id,
                );
                break;
              case 'sweep':
                await app.markDueNoShows();
                break;
              case 'wait':
                clock.at += op.minutes * MINUTE;
                break;
            }
            seen.set(`${op.kind} ok`, (seen.get(`${op.kind} ok`) ?? 0) + 1);
          } catch (error) {
            if (!isAppError(error)) throw error;
            seen.set(`${op.kind} ${error.code}`, (seen.get(`${op.kind} ${error.code}`) ?? 0) + 1);
          }
          const bookings = await deps.reads.bookingsOfDay(R, S, DATE);
          expectNoOverlap(bookings);
          const expected = bookings.flatMap((booking) => {
            const interval = occupancyOf(booking);
            return interval ? booking.tableIds.map((tableId) => key({ tableId, ...interval }, booking.id)) : [];
          });
          const blocks = await deps.reads.seatBlocks(S, { start: local('00:00'), end: local('23:59') + 2 * 60 * MINUTE });
          expect(blocks.map((block) => key(block, block.source.id)).sort()).toEqual(expected.sort());
        }
      }),
      { numRuns: 150 },
    );
    // The evenings must have exercised every step, both ways.
    for (const step of [
      'seat ok',
      'finish ok',
      'noShow ok',
      'undo ok',
      'walkIn ok',
      'seat seats_taken',
      'seat invalid_transition',
      'walkIn no_capacity',
    ]) {
      expect(seen.get(step) ?? 0, `${step} never happened: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    }
  }, 120_000);
});
