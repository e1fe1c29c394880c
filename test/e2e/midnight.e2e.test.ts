import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBooking,
  discover,
  elapsedMinutes,
  expectError,
  listDay,
  setupRestaurant,
  startServer,
  type TestServer,
} from '../support/server.js';

describe('a service window crossing midnight (20:00–02:00) belongs to the date it opens on', () => {
  let ctx: TestServer;
  const where = { restaurantId: 'RM', sectorId: 'SM', date: '2025-10-22' };
  beforeEach(async () => {
    ctx = await startServer();
    await setupRestaurant(ctx, {
      id: 'RM',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [{ start: '20:00', end: '02:00' }],
      sectorId: 'SM',
      tables: [{ id: 'M1', minSize: 2, maxSize: 2 }],
    });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('offers starts from 20:00 until the last stay that ends by 02:00 of the next day', async () => {
    const found = await discover(ctx, { ...where, partySize: 2, duration: 60, limit: 100 });
    expect(found.status).toBe(200);
    const starts = found.body.candidates.map((c) => c.start);
    expect(starts).toHaveLength(21); // 20:00 … 01:00
    expect(starts[0]).toBe('2025-10-22T20:00:00-03:00');
    expect(starts.at(-1)).toBe('2025-10-23T01:00:00-03:00');
    expect(found.body.candidates.at(-1)!.end).toBe('2025-10-23T02:00:00-03:00');
  });

  it('windowStart 00:30 means the next calendar day; the booking is listed under the opening date', async () => {
    const booked = await createBooking(ctx, { ...where, partySize: 2, durationMinutes: 60, windowStart: '00:30' });
    expect(booked.status, booked.text).toBe(201);
    expect(booked.body.start).toBe('2025-10-23T00:30:00-03:00');
    expect(booked.body.end).toBe('2025-10-23T01:30:00-03:00');
    expect(booked.body.date).toBe('2025-10-22');

    const opening = await listDay(ctx, 'RM', 'SM', '2025-10-22');
    expect(opening.status).toBe(200);
    expect(opening.body.date).toBe('2025-10-22');
    expect(opening.body.items.map((b) => b.id)).toEqual([booked.body.id]);
    const next = await listDay(ctx, 'RM', 'SM', '2025-10-23');
    expect(next.status).toBe(200);
    expect(next.body.items).toEqual([]);
    // The seed path lists the same.
    const seedPath = await ctx.get<{ items: { id: string }[] }>('/woki/bookings?restaurantId=RM&sectorId=SM&date=2025-10-22');
    expect(seedPath.status).toBe(200);
    expect(seedPath.body.items.map((b) => b.id)).toEqual([booked.body.id]);
  });

  it('a booking after midnight holds the table in the next day’s early hours', async () => {
    const booked = await createBooking(ctx, { ...where, partySize: 2, durationMinutes: 60, windowStart: '00:30', windowEnd: '01:30' });
    expect(booked.status, booked.text).toBe(201);

    // The same small hours are taken now …
    expectError(
      await discover(ctx, { ...where, partySize: 2, duration: 60, windowStart: '00:30', windowEnd: '01:30' }),
      409,
      'no_capacity',
    );
    expectError(
      await createBooking(ctx, { ...where, partySize: 2, durationMinutes: 60, windowStart: '00:00', windowEnd: '02:00' }),
      409,
      'no_capacity',
    );
    // … around them only 00:00–00:30 and 01:30–02:00 remain.
    const left = await discover(ctx, { ...where, partySize: 2, duration: 30, windowStart: '00:00', windowEnd: '02:00', limit: 100 });
    expect(left.body.candidates.map((c) => c.start)).toEqual(['2025-10-23T00:00:00-03:00', '2025-10-23T01:30:00-03:00']);
    // … and the whole night: every 60-minute stay overlapping 00:30–01:30 is gone.
    const night = await discover(ctx, { ...where, partySize: 2, duration: 60, limit: 100 });
    const starts = night.body.candidates.map((c) => c.start);
    expect(starts).toHaveLength(15);
    expect(starts.at(-1)).toBe('2025-10-22T23:30:00-03:00');

    // The next date's own night starts untouched at 20:00 of 2025-10-23.
    const nextNight = await discover(ctx, { ...where, date: '2025-10-23', partySize: 2, duration: 60, limit: 1 });
    expect(nextNight.body.candidates[0]!.start).toBe('2025-10-23T20:00:00-03:00');
  });

  it('a requested window across midnight (23:00–01:00) is one continuous span', async () => {
    const found = await discover(ctx, { ...where, partySize: 2, duration: 120, windowStart: '23:00', windowEnd: '01:00', limit: 100 });
    expect(found.status, found.text).toBe(200);
    expect(found.body.candidates.map((c) => [c.start, c.end])).toEqual([['2025-10-22T23:00:00-03:00', '2025-10-23T01:00:00-03:00']]);
    expect(elapsedMinutes(found.body.candidates[0]!.start, found.body.candidates[0]!.end)).toBe(120);
  });

  it('windowEnd 00:00 is the midnight that closes the date', async () => {
    const found = await discover(ctx, { ...where, partySize: 2, duration: 60, windowStart: '22:00', windowEnd: '00:00', limit: 100 });
    expect(found.status, found.text).toBe(200);
    expect(found.body.candidates.map((c) => c.start)).toEqual([
      '2025-10-22T22:00:00-03:00',
      '2025-10-22T22:15:00-03:00',
      '2025-10-22T22:30:00-03:00',
      '2025-10-22T22:45:00-03:00',
      '2025-10-22T23:00:00-03:00',
    ]);
    expect(found.body.candidates.at(-1)!.end).toBe('2025-10-23T00:00:00-03:00');
  });
});

describe('a service window ending at 00:00 ends at midnight, not at the start of the day', () => {
  let ctx: TestServer;
  const where = { restaurantId: 'RZ', sectorId: 'SZ', date: '2025-10-22' };
  beforeEach(async () => {
    ctx = await startServer();
    await setupRestaurant(ctx, {
      id: 'RZ',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [{ start: '18:00', end: '00:00' }],
      sectorId: 'SZ',
      tables: [{ id: 'Z1', minSize: 2, maxSize: 2 }],
    });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('stays may run until midnight', async () => {
    const found = await discover(ctx, { ...where, partySize: 2, duration: 60, limit: 100 });
    expect(found.status).toBe(200);
    expect(found.body.candidates).toHaveLength(21); // 18:00 … 23:00
    expect(found.body.candidates.at(-1)!.end).toBe('2025-10-23T00:00:00-03:00');

    const booked = await createBooking(ctx, { ...where, partySize: 2, durationMinutes: 120, windowStart: '22:00', windowEnd: '00:00' });
    expect(booked.status, booked.text).toBe(201);
    expect([booked.body.start, booked.body.end]).toEqual(['2025-10-22T22:00:00-03:00', '2025-10-23T00:00:00-03:00']);
    expect((await listDay(ctx, 'RZ', 'SZ', '2025-10-22')).body.items.map((b) => b.id)).toEqual([booked.body.id]);
  });

  it('nothing is offered after midnight', async () => {
    expectError(
      await discover(ctx, { ...where, partySize: 2, duration: 30, windowStart: '00:00', windowEnd: '06:00' }),
      422,
      'outside_service_window',
    );
  });
});
