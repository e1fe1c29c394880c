import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBooking, DEMO, discover, expectError, setupRestaurant, startServer, type TestServer } from '../support/server.js';

describe('combinations: free time is the intersection of the tables’ gaps', () => {
  let ctx: TestServer;
  beforeEach(async () => {
    ctx = await startServer();
    await setupRestaurant(ctx, {
      id: 'RG',
      timezone: 'Europe/Madrid',
      windows: [{ start: '18:00', end: '23:00' }],
      sectorId: 'SG',
      tables: [
        { id: 'A', minSize: 2, maxSize: 2 },
        { id: 'B', minSize: 2, maxSize: 3 },
      ],
    });
    const where = { restaurantId: 'RG', sectorId: 'SG', date: '2025-06-10' };
    // A is busy 18:00–20:00 (party 2 wastes nothing on A), B busy 21:00–23:00 (only B seats 3).
    const early = await createBooking(ctx, { ...where, partySize: 2, durationMinutes: 120, windowStart: '18:00', windowEnd: '20:00' });
    expect([early.status, early.body.tableIds, early.body.start]).toEqual([201, ['A'], '2025-06-10T18:00:00+02:00']);
    const late = await createBooking(ctx, { ...where, partySize: 3, durationMinutes: 120, windowStart: '21:00', windowEnd: '23:00' });
    expect([late.status, late.body.tableIds, late.body.start]).toEqual([201, ['B'], '2025-06-10T21:00:00+02:00']);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const where = { restaurantId: 'RG', sectorId: 'SG', date: '2025-06-10' };

  it('offers the combination only where both gaps overlap (20:00–21:00)', async () => {
    for (const partySize of [4, 5]) {
      const found = await discover(ctx, { ...where, partySize, duration: 30, limit: 100 });
      expect(found.status).toBe(200);
      expect(found.body.candidates.map((c) => [c.kind, c.tableIds, c.start, c.end])).toEqual([
        ['combo', ['A', 'B'], '2025-06-10T20:00:00+02:00', '2025-06-10T20:30:00+02:00'],
        ['combo', ['A', 'B'], '2025-06-10T20:15:00+02:00', '2025-06-10T20:45:00+02:00'],
        ['combo', ['A', 'B'], '2025-06-10T20:30:00+02:00', '2025-06-10T21:00:00+02:00'],
      ]);
    }
    const hour = await discover(ctx, { ...where, partySize: 4, duration: 60, limit: 100 });
    expect(hour.body.candidates.map((c) => c.start)).toEqual(['2025-06-10T20:00:00+02:00']);
  });

  it('refuses a stay longer than the common gap with no_capacity, and books the common gap otherwise', async () => {
    expectError(await discover(ctx, { ...where, partySize: 4, duration: 75 }), 409, 'no_capacity');
    expectError(await createBooking(ctx, { ...where, partySize: 4, durationMinutes: 75 }), 409, 'no_capacity');
    const booked = await createBooking(ctx, { ...where, partySize: 5, durationMinutes: 60 });
    expect([booked.status, booked.body.tableIds, booked.body.start, booked.body.end]).toEqual([
      201,
      ['A', 'B'],
      '2025-06-10T20:00:00+02:00',
      '2025-06-10T21:00:00+02:00',
    ]);
    expectError(await discover(ctx, { ...where, partySize: 4, duration: 30 }), 409, 'no_capacity');
  });
});

describe('combinations on the demo sector', () => {
  let ctx: TestServer;
  beforeEach(async () => {
    ctx = await startServer({ seed: true });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('a party of 18 needs every table (Σ maxSize = 18)', async () => {
    const found = await discover(ctx, { ...DEMO, partySize: 18, duration: 60, limit: 3 });
    expect(found.status).toBe(200);
    for (const candidate of found.body.candidates) {
      expect(candidate.kind).toBe('combo');
      expect(candidate.tableIds).toEqual(['T1', 'T2', 'T3', 'T4', 'T5']);
    }
    expect(found.body.candidates.map((c) => c.start)).toEqual([
      '2025-10-22T12:00:00-03:00',
      '2025-10-22T12:15:00-03:00',
      '2025-10-22T12:30:00-03:00',
    ]);
  });

  it('the all-tables combination avoids B1 on T2 (20:30–21:15)', async () => {
    const found = await discover(ctx, { ...DEMO, partySize: 18, duration: 60, windowStart: '20:00', windowEnd: '22:30', limit: 100 });
    expect(found.status).toBe(200);
    expect(found.body.candidates.map((c) => c.start)).toEqual(['2025-10-22T21:15:00-03:00', '2025-10-22T21:30:00-03:00']);
    const booked = await createBooking(ctx, { ...DEMO, partySize: 18, durationMinutes: 60, windowStart: '20:00', windowEnd: '22:30' });
    expect([booked.status, booked.body.tableIds, booked.body.start]).toEqual([
      201,
      ['T1', 'T2', 'T3', 'T4', 'T5'],
      '2025-10-22T21:15:00-03:00',
    ]);
  });

  it('a party of 19 exceeds every combination: 409 no_capacity', async () => {
    expectError(await discover(ctx, { ...DEMO, partySize: 19, duration: 60 }), 409, 'no_capacity');
    expectError(await createBooking(ctx, { ...DEMO, partySize: 19, durationMinutes: 60 }), 409, 'no_capacity');
  });

  it('a party of 1 is below every minimum (all 2): 409 no_capacity', async () => {
    expectError(await discover(ctx, { ...DEMO, partySize: 1, duration: 60 }), 409, 'no_capacity');
    expectError(await createBooking(ctx, { ...DEMO, partySize: 1, durationMinutes: 60 }), 409, 'no_capacity');
  });

  it('a party of 7 prefers the fewest tables, then the least waste', async () => {
    const found = await discover(ctx, { ...DEMO, partySize: 7, duration: 60, limit: 4 });
    // Pairs that seat 7 with one seat empty: T1+T4, T4+T5 (6–8), T2+T3 (4–8); T2+T4 and T3+T4 waste 3.
    expect(found.body.candidates.map((c) => [c.tableIds, c.start])).toEqual([
      [['T1', 'T4'], '2025-10-22T12:00:00-03:00'],
      [['T2', 'T3'], '2025-10-22T12:00:00-03:00'],
      [['T4', 'T5'], '2025-10-22T12:00:00-03:00'],
      [['T1', 'T4'], '2025-10-22T12:15:00-03:00'],
    ]);
    const scores = found.body.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});
