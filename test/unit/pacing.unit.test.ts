import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeatBlock } from '../../src/domain/availability/seatBlock.js';
import type { BookingStatus } from '../../src/domain/bookings/booking.js';
import { channelsOf, restrictsChannels, tablesOpenTo } from '../../src/domain/restaurants/channels.js';
import { countsAsCovers, coversByInterval, intervalOf, pacingCap, startsOverCap } from '../../src/domain/restaurants/pacing.js';
import { CHANNELS, type Channel, type Pacing } from '../../src/domain/restaurants/restaurant.js';
import { seatingDay, seatingsOnGrid, stayGrid } from '../../src/domain/seating/discoverSeatings.js';
import { restrictGrid } from '../../src/domain/seating/restrictGrid.js';
import { bruteForceSeatings, type GenTable } from '../support/engineModel.js';

const MINUTE = 60_000;
const BA = 'America/Argentina/Buenos_Aires';

describe('pacing intervals', () => {
  it("floors an instant to the quarter hour of the restaurant's wall clock, whatever its offset", () => {
    expect(intervalOf(BA, Date.parse('2025-10-22T20:07:31.500-03:00'))).toBe(Date.parse('2025-10-22T20:00:00-03:00'));
    expect(intervalOf(BA, Date.parse('2025-10-22T20:15:00-03:00'))).toBe(Date.parse('2025-10-22T20:15:00-03:00'));
    expect(intervalOf(BA, Date.parse('2025-10-22T20:14:59.999-03:00'))).toBe(Date.parse('2025-10-22T20:00:00-03:00'));
    // Half- and three-quarter-hour offsets: the local quarter, not UTC's.
    expect(intervalOf('Asia/Kolkata', Date.parse('2025-10-22T19:52:10+05:30'))).toBe(Date.parse('2025-10-22T19:45:00+05:30'));
    expect(intervalOf('Asia/Kathmandu', Date.parse('2025-10-22T19:44:00+05:45'))).toBe(Date.parse('2025-10-22T19:30:00+05:45'));
  });

  it('keeps the two occurrences of a repeated (fall-back) hour apart', () => {
    const first = intervalOf('America/New_York', Date.parse('2025-11-02T01:20:00-04:00'));
    const second = intervalOf('America/New_York', Date.parse('2025-11-02T01:20:00-05:00'));
    expect(first).toBe(Date.parse('2025-11-02T01:15:00-04:00'));
    expect(second).toBe(Date.parse('2025-11-02T01:15:00-05:00'));
  });

  it('counts every booking but the cancelled and the no-shows, walk-ins by the quarter they started in', () => {
    const at = (time: string) => Date.parse(`2025-10-22T${time}-03:00`);
    const statuses: BookingStatus[] = ['PENDING', 'CONFIRMED', 'SEATED', 'FINISHED', 'NO_SHOW', 'CANCELLED'];
    expect(statuses.filter(countsAsCovers)).toEqual(['PENDING', 'CONFIRMED', 'SEATED', 'FINISHED']);
    const covers = coversByInterval(BA, [
      { start: at('19:00:00'), partySize: 4, status: 'CONFIRMED' },
      { start: at('19:00:00'), partySize: 3, status: 'PENDING' },
      { start: at('19:00:00'), partySize: 9, status: 'CANCELLED' },
      { start: at('19:00:00'), partySize: 9, status: 'NO_SHOW' },
      { start: at('19:13:42'), partySize: 2, status: 'SEATED' },
      { start: at('19:15:00'), partySize: 5, status: 'FINISHED' },
    ]);
    expect([...covers]).toEqual([
      [at('19:00:00'), 9],
      [at('19:15:00'), 5],
    ]);
  });
});

describe('pacing caps', () => {
  const pacing: Pacing = {
    maxCoversPerInterval: 10,
    onlineMaxCoversPerInterval: 6,
    overrides: [
      { date: '2025-12-24', maxCoversPerInterval: 4 },
      { date: '2025-12-31', maxCoversPerInterval: 20 },
    ],
  };

  it('staff get the cap of the date; online the smaller of it and the online cap; walk-ins none', () => {
    expect(pacingCap(pacing, '2025-10-22', 'staff')).toBe(10);
    expect(pacingCap(pacing, '2025-10-22', 'online')).toBe(6);
    expect(pacingCap(pacing, '2025-12-24', 'staff')).toBe(4);
    expect(pacingCap(pacing, '2025-12-24', 'online')).toBe(4);
    expect(pacingCap(pacing, '2025-12-31', 'staff')).toBe(20);
    expect(pacingCap(pacing, '2025-12-31', 'online')).toBe(6);
    expect(pacingCap(pacing, '2025-10-22', 'walk_in')).toBe(Number.POSITIVE_INFINITY);
    expect(pacingCap({ maxCoversPerInterval: 8 }, '2025-10-22', 'online')).toBe(8);
  });

  it('closes the starts a party would take over the cap, and none without a cap', () => {
    const start = Date.parse('2025-10-22T19:00:00-03:00');
    const starts = [0, 1, 2, 3].map((q) => start + q * 15 * MINUTE);
    const covers = new Map([
      [starts[0]!, 8],
      [starts[1]!, 6],
      [starts[2]!, 10],
    ]);
    expect([...startsOverCap(starts, BA, covers, 10, 2)]).toEqual([starts[2]]);
    expect([...startsOverCap(starts, BA, covers, 10, 4)]).toEqual([starts[0], starts[2]]);
    expect([...startsOverCap(starts, BA, covers, 10, 11)]).toEqual(starts);
    expect(startsOverCap(starts, BA, covers, Number.POSITIVE_INFINITY, 1000).size).toBe(0);
  });
});

describe('channels', () => {
  const tables = [
    { id: 'A', channels: undefined },
    { id: 'B', channels: ['walk_in'] as Channel[] },
    { id: 'C', channels: ['online', 'staff'] as Channel[] },
  ];

  it("a table's own channels, else its sector's, else all three", () => {
    expect(channelsOf({}, tables[0]!)).toEqual(CHANNELS);
    expect(channelsOf({ channels: ['staff'] }, tables[0]!)).toEqual(['staff']);
    expect(channelsOf({ channels: ['staff'] }, tables[1]!)).toEqual(['walk_in']);
    expect(tablesOpenTo({}, tables, 'online').map((t) => t.id)).toEqual(['A', 'C']);
    expect(tablesOpenTo({}, tables, 'walk_in').map((t) => t.id)).toEqual(['A', 'B']);
    expect(tablesOpenTo({ channels: ['walk_in'] }, tables, 'staff').map((t) => t.id)).toEqual(['C']);
  });

  it('knows when nothing is restricted', () => {
    expect(restrictsChannels({}, [{ channels: undefined }])).toBe(false);
    expect(restrictsChannels({ channels: [...CHANNELS] }, [{ channels: ['walk_in', 'online', 'staff'] }])).toBe(false);
    expect(restrictsChannels({ channels: ['staff'] }, [])).toBe(true);
    expect(restrictsChannels({}, tables)).toBe(true);
  });
});

const OPEN = Date.parse('2025-10-22T18:00:00-03:00');
const service = [{ start: OPEN, end: OPEN + 4 * 60 * MINUTE }];

const caseArb = fc
  .record({
    sizes: fc.array(fc.record({ min: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 3 }) }), {
      minLength: 1,
      maxLength: 6,
    }),
    channels: fc.array(fc.option(fc.subarray([...CHANNELS], { minLength: 1 }), { nil: undefined }), { minLength: 6, maxLength: 6 }),
    sectorChannels: fc.option(fc.subarray([...CHANNELS], { minLength: 1 }), { nil: undefined }),
    channel: fc.constantFrom<Channel>(...CHANNELS),
    blocks: fc.array(fc.record({ table: fc.nat(), at: fc.integer({ min: 0, max: 15 }), quarters: fc.integer({ min: 1, max: 6 }) }), {
      maxLength: 6,
    }),
    // Bookings already there: their start (some off the grid, as walk-ins) and party.
    booked: fc.array(fc.record({ at: fc.integer({ min: 0, max: 16 * 15 - 1 }), party: fc.integer({ min: 1, max: 8 }) }), { maxLength: 12 }),
    pacing: fc.option(
      fc.record({ max: fc.integer({ min: 1, max: 16 }), online: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }) }),
      { nil: undefined },
    ),
    partySize: fc.integer({ min: 1, max: 12 }),
    limit: fc.integer({ min: 1, max: 12 }),
    prefer: fc.constantFrom<'earliest' | 'flush'>('earliest', 'flush'),
  })
  .map((raw) => {
    const tables: (GenTable & { channels?: Channel[] | undefined })[] = raw.sizes.map(({ min, extra }, i) => ({
      id: `T${i + 1}`,
      minSize: min,
      maxSize: min + extra,
      channels: raw.channels[i],
    }));
    const blocks: SeatBlock[] = raw.blocks.map(({ table, at, quarters }, i) => ({
      tableId: tables[table % tables.length]!.id,
      start: OPEN + at * 15 * MINUTE,
      end: OPEN + (at + quarters) * 15 * MINUTE,
      source: { kind: 'booking', id: `b${i}` },
    }));
    const booked = raw.booked.map(({ at, party }) => ({ start: OPEN + at * MINUTE, partySize: party, status: 'CONFIRMED' as const }));
    const pacing: Pacing | undefined = raw.pacing && {
      maxCoversPerInterval: Math.max(raw.pacing.max, raw.pacing.online ?? 0),
      onlineMaxCoversPerInterval: raw.pacing.online,
    };
    return { ...raw, tables, blocks, booked, pacing, sector: { channels: raw.sectorChannels } };
  });

describe('restricted grids (property)', () => {
  it('never offer a table closed to the channel nor a start over the cap, and find exactly what the unrestricted search finds among the rest', () => {
    let found = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const durationMinutes = 60;
        const grid = stayGrid(seatingDay(service, c.tables, c.blocks), service, durationMinutes);
        const open = restrictsChannels(c.sector, c.tables)
          ? new Set(tablesOpenTo(c.sector, c.tables, c.channel).map((t) => t.id))
          : undefined;
        const covers = coversByInterval(BA, c.booked);
        const cap = c.pacing ? pacingCap(c.pacing, '2025-10-22', c.channel) : Number.POSITIVE_INFINITY;
        const closed = startsOverCap(grid.starts, BA, covers, cap, c.partySize);
        const search = { zone: BA, prefer: c.prefer, partySize: c.partySize, limit: c.limit };
        const restricted = restrictGrid(grid, { tables: open, closedStarts: closed });
        const candidates = seatingsOnGrid(restricted, search);

        for (const candidate of candidates) {
          for (const id of candidate.tableIds) expect(open === undefined || open.has(id)).toBe(true);
          expect((covers.get(intervalOf(BA, candidate.start)) ?? 0) + c.partySize).toBeLessThanOrEqual(cap);
        }
        // Exactly the best of all seatings on open tables at open starts, in the engine's order.
        const usable = c.tables.filter((t) => open === undefined || open.has(t.id));
        const expected = bruteForceSeatings(
          usable,
          c.blocks,
          { service, windows: service },
          c.prefer,
          c.partySize,
          durationMinutes,
          1_000_000,
        )
          .filter((seating) => !closed.has(seating.start))
          .slice(0, c.limit);
        expect(candidates.map(({ tableIds, start }) => ({ tableIds, start }))).toEqual(expected);
        // No restriction: the very grid, and the very answer.
        const unrestricted = restrictGrid(grid, {});
        expect(unrestricted).toBe(grid);
        if (!open && closed.size === 0) expect(restricted).toBe(grid);
        expect(seatingsOnGrid(restrictGrid(grid, { closedStarts: new Set() }), search)).toEqual(seatingsOnGrid(grid, search));
        // The cached grid is never changed by a restriction.
        expect(seatingsOnGrid(grid, search)).toEqual(
          seatingsOnGrid(stayGrid(seatingDay(service, c.tables, c.blocks), service, durationMinutes), search),
        );
        if (candidates.length > 0) found++;
      }),
      { numRuns: 300 },
    );
    expect(found).toBeGreaterThan(50);
  });
});
