import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as engine from '../../src/domain/seating/discoverSeatings.js';
import { ADMIN_SECRET, createBooking, discover, expectError, startServer, type Reply, type TestServer } from '../support/server.js';

// The engine, counted: alternatives must cost a bounded number of calls (and none for a party no table can seat).
vi.mock('../../src/domain/seating/discoverSeatings.js', async (importOriginal) => {
  const actual = await importOriginal<typeof engine>();
  return { ...actual, seatingsOnGridInSteps: vi.fn(actual.seatingsOnGridInSteps) };
});
/** The application runs the engine as `seatingsOnGridInSteps` on a sector's (possibly kept) grid: one call per search. */
const engineCalls = () => vi.mocked(engine.seatingsOnGridInSteps).mock.calls.length;

/** Madrid in June is UTC+2; the clock starts well before every date used. */
const clock = {
  at: Date.parse('2025-06-01T00:00:00Z'),
  now() {
    return this.at;
  },
};
const admin = { 'x-admin-secret': ADMIN_SECRET };
const D = '2025-06-10';
const SERVICE = [
  { start: '12:00', end: '15:00' },
  { start: '19:00', end: '23:00' },
];

interface Alternative {
  date: string;
  start: string;
  end: string;
  sectorId: string;
  tableIds: string[];
  kind: 'single' | 'combo';
}
type Refusal = { error: string; detail: string; alternatives?: Alternative[] };

const alternativesOf = (reply: Reply): Alternative[] => {
  expectError(reply, 409, 'no_capacity');
  return (reply.body as Refusal).alternatives!;
};
/** `date start–end sector tables`, in Madrid summer time. */
const brief = (a: Alternative) => `${a.date} ${a.start.slice(11, 16)}–${a.end.slice(11, 16)} ${a.sectorId} ${a.tableIds.join('+')}`;

async function restaurant(ctx: TestServer, id: string, sectors: Record<string, { id: string; minSize: number; maxSize: number }[]>) {
  expect((await ctx.admin('/api/v1/admin/restaurants', { id, name: id, timezone: 'Europe/Madrid', windows: SERVICE })).status).toBe(201);
  for (const [sectorId, tables] of Object.entries(sectors)) {
    expect((await ctx.admin('/api/v1/admin/sectors', { id: sectorId, restaurantId: id, name: `Sector ${sectorId}` })).status).toBe(201);
    for (const table of tables) expect((await ctx.admin('/api/v1/admin/tables', { ...table, sectorId })).status).toBe(201);
  }
}

async function book(ctx: TestServer, where: { restaurantId: string; sectorId: string }, date: string, from: string, to: string) {
  const minutes = (Date.parse(`2000-01-01T${to}:00Z`) - Date.parse(`2000-01-01T${from}:00Z`)) / 60_000;
  const booked = await createBooking(ctx, { ...where, date, partySize: 2, durationMinutes: minutes, windowStart: from, windowEnd: to });
  expect(booked.status, booked.text).toBe(201);
}

describe('alternatives when nothing fits', () => {
  let ctx: TestServer;
  beforeAll(async () => {
    ctx = await startServer({ clock });
    // RA: one sector, one table for 2–4, taken 19:30–22:00 on D.
    await restaurant(ctx, 'RA', { SX: [{ id: 'X1', minSize: 2, maxSize: 4 }] });
    await book(ctx, { restaurantId: 'RA', sectorId: 'SX' }, D, '19:30', '22:00');
    // RB: sector SA with a 2–4 taken 20:00–22:00, sector SB with a 2-top taken 19:00–21:30.
    await restaurant(ctx, 'RB', { SA: [{ id: 'A4', minSize: 2, maxSize: 4 }], SB: [{ id: 'B2', minSize: 2, maxSize: 2 }] });
    await book(ctx, { restaurantId: 'RB', sectorId: 'SA' }, D, '20:00', '22:00');
    await book(ctx, { restaurantId: 'RB', sectorId: 'SB' }, D, '19:00', '21:30');
    // RF: the table is taken for the whole of D's service.
    await restaurant(ctx, 'RF', { SF: [{ id: 'F1', minSize: 2, maxSize: 4 }] });
    for (const [from, to] of [
      ['12:00', '15:00'],
      ['19:00', '22:00'],
      ['22:00', '23:00'],
    ] as const) {
      await book(ctx, { restaurantId: 'RF', sectorId: 'SF' }, D, from, to);
    }
  });
  afterAll(() => ctx.close());
  beforeEach(() => {
    clock.at = Date.parse('2025-06-01T00:00:00Z');
  });

  const dinner = { restaurantId: 'RA', sectorId: 'SX', date: D, partySize: 2, windowStart: '20:00', windowEnd: '22:00' };

  it('offers the nearest stays outside the window on the date (nearest first), then the next and the previous date', async () => {
    const expected = [
      '2025-06-10 22:00–23:00 SX X1', // ends 60 minutes after the window
      '2025-06-10 14:00–15:00 SX X1', // starts 6 hours before it: the latest start before 20:00 that fits
      '2025-06-11 20:00–21:00 SX X1', // the requested window, the next date
      '2025-06-09 20:00–21:00 SX X1', // and the previous one
    ];
    const discovered = alternativesOf(await discover(ctx, { ...dinner, duration: 60 }));
    expect(discovered.map(brief)).toEqual(expected);
    expect(discovered[0]).toEqual({
      date: D,
      start: '2025-06-10T22:00:00+02:00',
      end: '2025-06-10T23:00:00+02:00',
      sectorId: 'SX',
      tableIds: ['X1'],
      kind: 'single',
    });
    const created = alternativesOf(await createBooking(ctx, { ...dinner, durationMinutes: 60 }));
    expect(created.map(brief)).toEqual(expected);
  });

  it('across sectors: each alternative names its sector, and at one start the WokiBrain order picks the seating', async () => {
    const request = { restaurantId: 'RB', date: D, partySize: 2, duration: 60, windowStart: '20:00', windowEnd: '21:30' };
    const alternatives = alternativesOf(await discover(ctx, request));
    expect(alternatives.map(brief)).toEqual([
      '2025-06-10 19:00–20:00 SA A4', // 60 minutes early; SB's 2-top is taken from 19:00
      '2025-06-10 21:30–22:30 SB B2', // 60 minutes late: as near, so after the earlier one
      '2025-06-11 20:00–21:00 SB B2', // both sectors are free: the 2-top wastes no seat
      '2025-06-09 20:00–21:00 SB B2',
    ]);
    // On 2025-06-12 both tables are taken 20:00–22:00: at each nearest start both sectors fit, and the 2-top (SB) wins.
    await book(ctx, { restaurantId: 'RB', sectorId: 'SA' }, '2025-06-12', '20:00', '22:00');
    await book(ctx, { restaurantId: 'RB', sectorId: 'SB' }, '2025-06-12', '20:00', '22:00');
    const tied = alternativesOf(await discover(ctx, { ...request, date: '2025-06-12', windowEnd: '22:00' }));
    expect(tied.map(brief)).toEqual([
      '2025-06-12 19:00–20:00 SB B2',
      '2025-06-12 22:00–23:00 SB B2',
      '2025-06-13 20:00–21:00 SB B2',
      '2025-06-11 20:00–21:00 SB B2',
    ]);
    // Asked of one sector, only that sector's tables.
    const inSa = alternativesOf(await discover(ctx, { ...request, sectorId: 'SA' }));
    expect(new Set(inSa.map((a) => a.sectorId))).toEqual(new Set(['SA']));
  });

  it('without a window there is no "outside" on the date: the next and previous dates, earliest start', async () => {
    const alternatives = alternativesOf(await discover(ctx, { restaurantId: 'RF', sectorId: 'SF', date: D, partySize: 2, duration: 60 }));
    expect(alternatives.map(brief)).toEqual(['2025-06-11 12:00–13:00 SF F1', '2025-06-09 12:00–13:00 SF F1']);
  });

  it('never offers a start in the past', async () => {
    clock.at = Date.parse('2025-06-10T19:30:00Z'); // 21:30 in Madrid, on D
    const alternatives = alternativesOf(await discover(ctx, { ...dinner, duration: 60 }));
    expect(alternatives.map(brief)).toEqual(['2025-06-10 22:00–23:00 SX X1', '2025-06-11 20:00–21:00 SX X1']);
  });

  it('offers none, without an engine call, for a party no table could ever seat', async () => {
    for (const partySize of [5, 1]) {
      const before = engineCalls();
      const reply = await discover(ctx, { ...dinner, partySize, duration: 60 });
      expect(alternativesOf(reply)).toEqual([]);
      expect(engineCalls() - before, 'the refused search itself only').toBe(1);
    }
    // Between what the tables hold: two 2-tops seat 2 or 4, never 3.
    const before = engineCalls();
    expect(alternativesOf(await discover(ctx, { restaurantId: 'RB', sectorId: 'SB', date: D, partySize: 3, duration: 60 }))).toEqual([]);
    expect(engineCalls() - before).toBe(1);
  });

  it('bounds the work: a binary search per side, at most 2 on the date and 1 on each neighbouring date', async () => {
    // RA, 60 minutes, 20:00–22:00: the search that failed (1 call); before the window, 13 starts (12:00–14:00,
    // 19:00–19:45): at most 1 + ⌈log₂ 13⌉ = 5 calls; after it, 4 starts (21:15–22:00): at most 3; the requested
    // window on each neighbouring date fits at the first call: 2. A scan start by start would need 14.
    const before = engineCalls();
    expect(alternativesOf(await discover(ctx, { ...dinner, duration: 60 }))).toHaveLength(4);
    expect(engineCalls() - before).toBeLessThanOrEqual(1 + 5 + 3 + 2);

    for (const [request, sectors] of [
      [{ restaurantId: 'RB', date: D, partySize: 2, duration: 60, windowStart: '20:00', windowEnd: '21:30' }, 2],
      [{ restaurantId: 'RF', sectorId: 'SF', date: D, partySize: 2, duration: 30, windowStart: '13:00', windowEnd: '14:00' }, 1],
    ] as const) {
      const start = engineCalls();
      const alternatives = alternativesOf(await discover(ctx, request));
      // Per sector: 1 for the failed search, 2 × (1 + ⌈log₂ 100⌉) on the date at most, 2 per neighbouring date.
      expect(engineCalls() - start).toBeLessThanOrEqual(sectors * (1 + 20));
      expect(alternatives.length).toBeLessThanOrEqual(4);
      expect(alternatives.filter((a) => a.date === D).length).toBeLessThanOrEqual(2);
      expect(alternatives.filter((a) => a.date !== D).length).toBeLessThanOrEqual(2);
    }
  });

  it('still answers 202 with waitlist: true, and no alternatives', async () => {
    const waiting = await ctx.post<{ status: string; sectorId: string; alternatives?: unknown }>('/api/v1/woki/bookings', {
      ...dinner,
      durationMinutes: 60,
      waitlist: true,
    });
    expect([waiting.status, waiting.body.status, waiting.body.sectorId, waiting.body.alternatives]).toEqual([
      202,
      'WAITING',
      'SX',
      undefined,
    ]);
  });

  it('shows alternatives only to who may discover: not to an API key that may only book', async () => {
    // Where public booking is off, discovering takes availability:read (public restaurants let anyone discover).
    const created = await ctx.admin('/api/v1/admin/restaurants', {
      id: 'RP',
      name: 'Private',
      timezone: 'Europe/Madrid',
      windows: SERVICE,
      publicBooking: false,
    });
    expect(created.status).toBe(201);
    expect((await ctx.admin('/api/v1/admin/sectors', { id: 'SP', restaurantId: 'RP', name: 'Room' })).status).toBe(201);
    expect((await ctx.admin('/api/v1/admin/tables', { id: 'P1', sectorId: 'SP', minSize: 2, maxSize: 4 })).status).toBe(201);
    await book(ctx, { restaurantId: 'RP', sectorId: 'SP' }, D, '19:30', '22:00');
    const keyWith = async (scopes: string[]) => {
      const key = await ctx.request<{ key: string }>('POST', '/api/v1/restaurants/RP/api-keys', {
        body: { name: 'pos', scopes },
        headers: admin,
      });
      expect(key.status, key.text).toBe(201);
      return { 'x-api-key': key.body.key };
    };
    const body = { ...dinner, restaurantId: 'RP', sectorId: 'SP', durationMinutes: 60 };
    const bookOnly = await ctx.request('POST', '/api/v1/woki/bookings', { body, headers: await keyWith(['bookings:write']) });
    expectError(bookOnly, 409, 'no_capacity');
    expect(bookOnly.body).not.toHaveProperty('alternatives');
    const both = await ctx.request('POST', '/api/v1/woki/bookings', {
      body,
      headers: await keyWith(['bookings:write', 'availability:read']),
    });
    expect(alternativesOf(both).map(brief)).toEqual([
      '2025-06-10 22:00–23:00 SP P1',
      '2025-06-10 14:00–15:00 SP P1',
      '2025-06-11 20:00–21:00 SP P1',
      '2025-06-09 20:00–21:00 SP P1',
    ]);
    expectError(await ctx.request('POST', '/api/v1/woki/bookings', { body }), 401, 'unauthorized');
  });
});
