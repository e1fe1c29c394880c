import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBooking,
  DEMO,
  discover,
  elapsedMinutes,
  expectError,
  listDay,
  startServer,
  type BookingBody,
  type TestServer,
} from '../support/server.js';

/** The six cases of the original challenge, over HTTP on the demo data. */
describe('challenge cases on the demo data (R1/S1, 2025-10-22)', () => {
  let ctx: TestServer;
  beforeEach(async () => {
    ctx = await startServer({ seed: true });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('happy single: a party of 3 gets one table, the least wasteful, at the first start', async () => {
    const found = await discover(ctx, { ...DEMO, partySize: 3, duration: 90, limit: 3 });
    expect(found.status).toBe(200);
    expect(found.body.slotMinutes).toBe(15);
    expect(found.body.durationMinutes).toBe(90);
    // T2 and T3 (2–4) leave one seat empty; T4 needs 4. Earliest start 12:00, tie broken by id.
    expect(found.body.candidates.map((c) => [c.kind, c.tableIds, c.start, c.end])).toEqual([
      ['single', ['T2'], '2025-10-22T12:00:00-03:00', '2025-10-22T13:30:00-03:00'],
      ['single', ['T3'], '2025-10-22T12:00:00-03:00', '2025-10-22T13:30:00-03:00'],
      ['single', ['T2'], '2025-10-22T12:15:00-03:00', '2025-10-22T13:45:00-03:00'],
    ]);
    for (const candidate of found.body.candidates) {
      expect(typeof candidate.score).toBe('number');
      expect(candidate.rationale.length).toBeGreaterThan(0);
    }

    const created = await createBooking(ctx, { ...DEMO, partySize: 3, durationMinutes: 90 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      restaurantId: 'R1',
      sectorId: 'S1',
      date: '2025-10-22',
      tableIds: ['T2'],
      partySize: 3,
      start: '2025-10-22T12:00:00-03:00',
      end: '2025-10-22T13:30:00-03:00',
      durationMinutes: 90,
      status: 'CONFIRMED',
    });
    expect(elapsedMinutes(created.body.start, created.body.end)).toBe(90);

    const fetched = await ctx.get<BookingBody>(`/api/v1/woki/bookings/${created.body.id}`);
    expect(fetched.status).toBe(200);
    // The manage token is in the create answer only.
    const { manageToken, ...booking } = created.body as BookingBody & { manageToken?: string };
    expect(manageToken).toEqual(expect.any(String));
    expect(fetched.body).toEqual(booking);
    // The root mount serves the same booking.
    const atRoot = await ctx.get<BookingBody>(`/woki/bookings/${created.body.id}`);
    expect(atRoot.body).toEqual(booking);
  });

  it('happy combo: a party of 8 (above every single max of 6) gets a combination whose capacity holds it', async () => {
    const found = await discover(ctx, { ...DEMO, partySize: 8, duration: 90, limit: 5 });
    expect(found.status).toBe(200);
    expect(found.body.candidates.length).toBe(5);
    for (const candidate of found.body.candidates) expect(candidate.kind).toBe('combo');
    // Zero-waste pairs at 12:00, by id: T1+T4 (6–8), T2+T3 (4–8), T4+T5 (6–8).
    expect(found.body.candidates.slice(0, 3).map((c) => [c.tableIds, c.start])).toEqual([
      [['T1', 'T4'], '2025-10-22T12:00:00-03:00'],
      [['T2', 'T3'], '2025-10-22T12:00:00-03:00'],
      [['T4', 'T5'], '2025-10-22T12:00:00-03:00'],
    ]);

    const sizes: Record<string, [number, number]> = { T1: [2, 2], T2: [2, 4], T3: [2, 4], T4: [4, 6], T5: [2, 2] };
    const created = await createBooking(ctx, { ...DEMO, partySize: 8, durationMinutes: 90 });
    expect(created.status).toBe(201);
    expect(created.body.tableIds).toEqual(['T1', 'T4']);
    expect(created.body.start).toBe('2025-10-22T12:00:00-03:00');
    const min = created.body.tableIds.reduce((sum, id) => sum + sizes[id]![0], 0);
    const max = created.body.tableIds.reduce((sum, id) => sum + sizes[id]![1], 0);
    expect(min).toBeLessThanOrEqual(8);
    expect(max).toBeGreaterThanOrEqual(8);
  });

  it('touching bookings: one ending at B1 start (20:30) and one starting at B1 end (21:15) share T2 with it', async () => {
    // B1 holds T2 20:30–21:15. In 21:15–22:45 only the slot touching B1's end fits 90 minutes.
    const after = await createBooking(ctx, { ...DEMO, partySize: 3, durationMinutes: 90, windowStart: '21:15', windowEnd: '22:45' });
    expect(after.status).toBe(201);
    expect(after.body.tableIds).toEqual(['T2']);
    expect(after.body.start).toBe('2025-10-22T21:15:00-03:00');
    expect(after.body.end).toBe('2025-10-22T22:45:00-03:00');

    // In 20:00–20:30 the only 30-minute slot ends exactly where B1 starts.
    const before = await createBooking(ctx, { ...DEMO, partySize: 3, durationMinutes: 30, windowStart: '20:00', windowEnd: '20:30' });
    expect(before.status).toBe(201);
    expect(before.body.tableIds).toEqual(['T2']);
    expect(before.body.start).toBe('2025-10-22T20:00:00-03:00');
    expect(before.body.end).toBe('2025-10-22T20:30:00-03:00');

    const day = await listDay(ctx, 'R1', 'S1', DEMO.date);
    expect(day.status).toBe(200);
    expect(day.body.items.filter((b) => b.tableIds.includes('T2')).map((b) => [b.start, b.end])).toEqual([
      ['2025-10-22T20:00:00-03:00', '2025-10-22T20:30:00-03:00'],
      ['2025-10-22T20:30:00-03:00', '2025-10-22T21:15:00-03:00'],
      ['2025-10-22T21:15:00-03:00', '2025-10-22T22:45:00-03:00'],
    ]);
  });

  it('idempotent replay: same key and body give the same booking, status and body, marked as replayed', async () => {
    const body = { ...DEMO, partySize: 2, durationMinutes: 60, guestName: 'Ada' };
    const first = await createBooking(ctx, body, 'replay-key-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const second = await createBooking(ctx, body, 'replay-key-1');
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.text).toBe(first.text);
    expect(second.body.id).toBe(first.body.id);

    // Key order in the JSON does not make it another payload.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const third = await ctx.post<BookingBody>('/api/v1/woki/bookings', reordered, { 'idempotency-key': 'replay-key-1' });
    expect(third.status).toBe(201);
    expect(third.body.id).toBe(first.body.id);

    const day = await listDay(ctx, 'R1', 'S1', DEMO.date);
    expect(day.body.items.filter((b) => b.id === first.body.id)).toHaveLength(1);
    expect(day.body.items).toHaveLength(2); // B1 and this one
  });

  it('parallel creates for the last free seat: exactly one 201 and one 409 no_capacity', async () => {
    // Party 2 for 20:30–21:15: T2 is held by B1, T4 needs 4, no pair seats 2. T1, T5 then T3 remain.
    const request = { ...DEMO, partySize: 2, durationMinutes: 45, windowStart: '20:30', windowEnd: '21:15' };
    const firstTwo = [await createBooking(ctx, request), await createBooking(ctx, request)];
    expect(firstTwo.map((r) => [r.status, r.body.tableIds])).toEqual([
      [201, ['T1']],
      [201, ['T5']],
    ]);

    const racing = await Promise.all([createBooking(ctx, request), createBooking(ctx, request)]);
    const statuses = racing.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const winner = racing.find((r) => r.status === 201)!;
    const loser = racing.find((r) => r.status === 409)!;
    expect(winner.body.tableIds).toEqual(['T3']);
    expectError(loser, 409, 'no_capacity');

    const day = await listDay(ctx, 'R1', 'S1', DEMO.date);
    const in2030 = day.body.items.filter((b) => b.start === '2025-10-22T20:30:00-03:00' && b.status === 'CONFIRMED');
    expect(in2030.map((b) => b.tableIds[0]).sort()).toEqual(['T1', 'T2', 'T3', 'T5']);
  });

  it('a requested window outside service hours: 422 outside_service_window, for discover and create', async () => {
    const between = { windowStart: '16:00', windowEnd: '20:00' };
    expectError(await discover(ctx, { ...DEMO, partySize: 2, duration: 60, ...between }), 422, 'outside_service_window');
    expectError(await createBooking(ctx, { ...DEMO, partySize: 2, durationMinutes: 60, ...between }), 422, 'outside_service_window');
    const morning = { windowStart: '08:00', windowEnd: '11:00' };
    expectError(await discover(ctx, { ...DEMO, partySize: 2, duration: 60, ...morning }), 422, 'outside_service_window');
    // After closing (23:45) and before midnight.
    expectError(await discover(ctx, { ...DEMO, partySize: 2, duration: 30, windowStart: '23:45' }), 422, 'outside_service_window');

    // Nothing was booked by the refused create.
    const day = await listDay(ctx, 'R1', 'S1', DEMO.date);
    expect(day.body.items.map((b) => b.id)).toEqual(['B1']);
  });

  it('a window that meets service hours but is too short for the stay is no_capacity, not outside_service_window', async () => {
    const reply = await discover(ctx, { ...DEMO, partySize: 2, duration: 60, windowStart: '15:30', windowEnd: '20:00' });
    expectError(reply, 409, 'no_capacity');
    const clipped = await discover(ctx, { ...DEMO, partySize: 2, duration: 30, windowStart: '15:30', windowEnd: '20:30', limit: 100 });
    expect(clipped.status).toBe(200);
    const starts = [...new Set(clipped.body.candidates.map((c) => c.start))].sort();
    expect(starts).toEqual(['2025-10-22T15:30:00-03:00', '2025-10-22T20:00:00-03:00']);
  });
});
