import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeBooking } from '../support/bookings.js';
import { ADMIN_SECRET, expectError, startServer, type BookingBody, type TestServer } from '../support/server.js';

const admin = { 'x-admin-secret': ADMIN_SECRET };
const WHERE = { restaurantId: 'RP', sectorId: 'SP', date: '2025-10-22' };

interface ReportBody {
  dryRun: boolean;
  wasteBefore: number;
  wasteAfter: number;
  largestGapBeforeMinutes: number;
  largestGapAfterMinutes: number;
  moves: { bookingId: string; from: string[]; to: string[] }[];
}

describe('repack', () => {
  let ctx: TestServer;

  beforeAll(async () => {
    ctx = await startServer();
    const restaurant = await ctx.admin('/api/v1/admin/restaurants', {
      id: 'RP',
      name: 'Repack',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [{ start: '19:00', end: '23:00' }],
    });
    expect(restaurant.status).toBe(201);
    expect((await ctx.admin('/api/v1/admin/sectors', { id: 'SP', restaurantId: 'RP', name: 'Hall' })).status).toBe(201);
    for (const [id, minSize, maxSize] of [
      ['BIG', 2, 8],
      ['SMALL', 2, 2],
      ['MID', 2, 4],
    ] as const) {
      expect((await ctx.admin('/api/v1/admin/tables', { id, sectorId: 'SP', minSize, maxSize })).status).toBe(201);
    }
    // Placed by hand where the engine would not put them: two guests on the 8-top, four on two tables.
    await placeBooking(ctx.deps, {
      ...WHERE,
      id: 'P2',
      tableIds: ['BIG'],
      partySize: 2,
      start: '2025-10-22T20:00:00-03:00',
      durationMinutes: 90,
    });
    await placeBooking(ctx.deps, {
      ...WHERE,
      id: 'P4',
      tableIds: ['SMALL', 'MID'],
      partySize: 4,
      start: '2025-10-22T21:30:00-03:00',
      durationMinutes: 60,
    });
  });

  afterAll(() => ctx.close());

  const repack = (query: string) => ctx.request<ReportBody>('POST', `/api/v1/woki/sectors/SP/repack?${query}`, { headers: admin });

  it('shows the plan on a dry run and changes nothing', async () => {
    const reply = await repack('date=2025-10-22&dryRun=true');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ dryRun: true, wasteBefore: 6 + 2, wasteAfter: 0 });
    expect(reply.body.moves).toEqual([
      { bookingId: 'P2', from: ['BIG'], to: ['SMALL'] },
      { bookingId: 'P4', from: ['MID', 'SMALL'], to: ['MID'] },
    ]);
    expect(reply.body.largestGapAfterMinutes).toBeGreaterThanOrEqual(reply.body.largestGapBeforeMinutes);
    expect((await ctx.get<BookingBody>('/api/v1/woki/bookings/P2')).body.tableIds).toEqual(['BIG']);
  });

  it('applies the plan without moving any booking in time, and a second repack finds nothing to do', async () => {
    const before = (await ctx.get<{ items: BookingBody[] }>(`/api/v1/woki/bookings/day?restaurantId=RP&sectorId=SP&date=2025-10-22`)).body
      .items;
    const applied = await repack('date=2025-10-22');
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body).toMatchObject({ dryRun: false, wasteBefore: 8, wasteAfter: 0 });
    const after = (await ctx.get<{ items: BookingBody[] }>(`/api/v1/woki/bookings/day?restaurantId=RP&sectorId=SP&date=2025-10-22`)).body
      .items;
    expect(after.map((b) => [b.id, b.start, b.end, b.durationMinutes])).toEqual(
      before.map((b) => [b.id, b.start, b.end, b.durationMinutes]),
    );
    expect(after.map((b) => [b.id, b.tableIds])).toEqual([
      ['P2', ['SMALL']],
      ['P4', ['MID']],
    ]);
    const history = await ctx.get<{ events: { type: string }[] }>('/api/v1/woki/bookings/P2/history');
    expect(history.body.events.map((event) => event.type)).toEqual(['BookingConfirmed', 'BookingReassigned']);
    const again = await repack('date=2025-10-22');
    expect(again.body).toMatchObject({ wasteBefore: 0, wasteAfter: 0, moves: [] });
    // The freed 8-top is bookable at once.
    const big = await ctx.post<BookingBody>('/api/v1/woki/bookings', {
      ...WHERE,
      partySize: 8,
      durationMinutes: 90,
      windowStart: '20:00',
      windowEnd: '21:30',
    });
    expect(big.status, big.text).toBe(201);
    expect(big.body.tableIds).toEqual(['BIG']);
  });

  it('answers 404 for an unknown sector and 400 for a bad date', async () => {
    expectError(await ctx.request('POST', '/api/v1/woki/sectors/NOPE/repack?date=2025-10-22', { headers: admin }), 404, 'not_found');
    expectError(await repack('date=2025-13-01'), 400, 'invalid_input');
    expectError(await ctx.request('POST', '/api/v1/woki/sectors/SP/repack?date=2025-10-22'), 401, 'unauthorized');
  });
});
