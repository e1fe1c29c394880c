import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBooking, discover, setupRestaurant, startServer, type TestServer } from '../support/server.js';

/**
 * A bounded window means any start in it suits the guest, so WokiBrain ranks stays
 * flush with a neighbour first; an open window keeps the earliest start first.
 * Service 18:00–23:00; A is booked 18:00–19:30, B is empty all evening.
 */
describe('start preference: flush stays within a bounded window, the earliest start otherwise', () => {
  let ctx: TestServer;
  const where = { restaurantId: 'RP', sectorId: 'SP', date: '2025-10-22' };
  beforeEach(async () => {
    ctx = await startServer();
    await setupRestaurant(ctx, {
      id: 'RP',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [{ start: '18:00', end: '23:00' }],
      sectorId: 'SP',
      tables: [
        { id: 'A', minSize: 2, maxSize: 2 },
        { id: 'B', minSize: 2, maxSize: 2 },
      ],
    });
    const first = await createBooking(ctx, { ...where, partySize: 2, durationMinutes: 90, windowStart: '18:00', windowEnd: '19:30' });
    expect([first.status, first.body.tableIds, first.body.start]).toEqual([201, ['A'], '2025-10-22T18:00:00-03:00']);
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('with both ends, the stay right after A’s booking beats B at 19:00, which would split B’s evening', async () => {
    const window = { windowStart: '19:00', windowEnd: '21:00' };
    const found = await discover(ctx, { ...where, ...window, partySize: 2, duration: 60, limit: 3 });
    expect(found.status).toBe(200);
    expect(found.body.candidates.map((c) => [c.tableIds, c.start])).toEqual([
      [['A'], '2025-10-22T19:30:00-03:00'],
      [['B'], '2025-10-22T19:00:00-03:00'],
      [['B'], '2025-10-22T19:15:00-03:00'],
    ]);
    expect(found.body.candidates[0]!.rationale).toContain('flush with the booking, blackout or service edge beside it');
    expect(found.body.candidates[1]!.rationale).toContain('in the middle of a free gap');
    expect(found.body.candidates[0]!.score).toBeGreaterThan(found.body.candidates[1]!.score);

    const booked = await createBooking(ctx, { ...where, ...window, partySize: 2, durationMinutes: 60 });
    expect([booked.status, booked.body.tableIds, booked.body.start]).toEqual([201, ['A'], '2025-10-22T19:30:00-03:00']);
  });

  it('the booking just before the window counts: flushness is judged on service hours, not the guest’s window', async () => {
    // 19:30–20:30 on A starts exactly where the 18:00–19:30 booking ends, outside this window.
    const found = await discover(ctx, { ...where, windowStart: '19:30', windowEnd: '21:30', partySize: 2, duration: 60, limit: 1 });
    expect(found.body.candidates.map((c) => [c.tableIds, c.start])).toEqual([[['A'], '2025-10-22T19:30:00-03:00']]);
  });

  it('with only a start, or no window, the earliest start wins', async () => {
    const fromSeven = await discover(ctx, { ...where, windowStart: '19:00', partySize: 2, duration: 60, limit: 2 });
    expect(fromSeven.body.candidates.map((c) => [c.tableIds, c.start])).toEqual([
      [['B'], '2025-10-22T19:00:00-03:00'],
      [['B'], '2025-10-22T19:15:00-03:00'],
    ]);
    const anyTime = await discover(ctx, { ...where, partySize: 2, duration: 60, limit: 1 });
    // B at 18:00 is free and flush with the opening; A is taken until 19:30.
    expect(anyTime.body.candidates.map((c) => [c.tableIds, c.start])).toEqual([[['B'], '2025-10-22T18:00:00-03:00']]);
  });
});
