import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectError, qs, startServer, type BookingBody, type TestServer } from '../support/server.js';

/**
 * A seeded service day through the real HTTP API, and its day report: every
 * figure below is worked out by hand in the comments. Buenos Aires is UTC−3 all
 * year; the clock stands still at the instant each step sets, so every stay is a
 * whole number of minutes and each event's time is the step's.
 */
const DATE = '2025-11-03';
const local = (time: string) => Date.parse(`${DATE}T${time}-03:00`);
const clock = {
  at: local('12:00:00'),
  now() {
    return this.at;
  },
};
const R = 'RD';
const S = 'SD';

interface Report {
  at: string;
  parties: Record<string, number>;
  covers: Record<string, number>;
  rates: { noShow: number | null; cancellation: number | null };
  turnTimes: {
    all: { count: number; averageMinutes: number | null; medianMinutes: number | null };
    byPartySize: { partySize: number; count: number; averageMinutes: number | null; medianMinutes: number | null }[];
    predictedVsActual: { count: number; meanAbsoluteErrorMinutes: number | null; meanSignedErrorMinutes: number | null };
  };
  seatUtilisation: { occupiedSeatMinutes: number; availableSeatMinutes: number; share: number | null };
  waitlist: Record<string, number>;
  pacing: { cap: number | null; intervals: { start: string; covers: number }[] };
  hindsight: { achieved: number; bound: number; requests: number; share: number | null; lp: string };
  sectors: { sectorId: string; hindsight: Report['hindsight'] }[];
}

describe('the day report', () => {
  let ctx: TestServer;
  const ids: Record<string, string> = {};

  const at = (time: string) => {
    clock.at = local(time);
  };
  const book = async (name: string, partySize: number, windowStart: string, windowEnd: string, minutes: number, tables: string[]) => {
    const reply = await ctx.post<BookingBody & { status: string }>('/api/v1/woki/bookings', {
      restaurantId: R,
      sectorId: S,
      date: DATE,
      partySize,
      durationMinutes: minutes,
      windowStart,
      windowEnd,
    });
    expect(reply.status, reply.text).toBe(201);
    // The engine's choice, pinned: the hand computations below rest on it.
    expect(reply.body.tableIds, name).toEqual(tables);
    ids[name] = reply.body.id;
    return reply.body;
  };
  const wait = async (name: string, partySize: number, windowStart: string, windowEnd: string, minutes: number) => {
    const reply = await ctx.post<{ id: string }>('/api/v1/woki/bookings', {
      restaurantId: R,
      sectorId: S,
      date: DATE,
      partySize,
      durationMinutes: minutes,
      windowStart,
      windowEnd,
      waitlist: true,
    });
    expect(reply.status, reply.text).toBe(202);
    ids[name] = reply.body.id;
  };
  const step = async (name: string, what: string) => {
    const reply = await ctx.post(`/api/v1/woki/bookings/${ids[name]}/${what}`, {});
    expect(reply.status, `${what} ${name}: ${reply.text}`).toBe(200);
  };
  const report = async (params: Record<string, string> = {}) => {
    const reply = await ctx.get<Report>(`/api/v1/reports/day${qs({ restaurantId: R, date: DATE, ...params })}`);
    expect(reply.status, reply.text).toBe(200);
    return reply.body;
  };

  beforeAll(async () => {
    ctx = await startServer({ clock });
    const steps: [string, Record<string, unknown>][] = [
      [
        '/api/v1/admin/restaurants',
        {
          id: R,
          name: 'Day',
          timezone: 'America/Argentina/Buenos_Aires',
          windows: [{ start: '19:00', end: '23:00' }],
          largeGroups: { threshold: 6, holdMinutes: 600 },
        },
      ],
      ['/api/v1/admin/sectors', { id: S, restaurantId: R, name: 'Room' }],
      ['/api/v1/admin/tables', { id: 'A', sectorId: S, minSize: 2, maxSize: 4 }],
      ['/api/v1/admin/tables', { id: 'B', sectorId: S, minSize: 2, maxSize: 4 }],
      ['/api/v1/admin/tables', { id: 'C', sectorId: S, minSize: 4, maxSize: 6 }],
    ];
    for (const [path, body] of steps) expect((await ctx.admin(path, body)).status).toBe(201);
    const paced = await ctx.request('PATCH', `/api/v1/sectors/${S}`, {
      body: { pacing: { maxCoversPerInterval: 20 } },
      headers: { 'x-admin-secret': 'test-admin-secret-7f3a9c2e' },
    });
    expect(paced.status, paced.text).toBe(200);

    // Noon: the book fills.
    at('12:00:00');
    await book('b1', 2, '19:00', '20:30', 90, ['A']);
    at('12:00:10');
    await book('b2', 4, '19:00', '21:00', 120, ['B']);
    at('12:00:20');
    await book('b3', 5, '19:30', '21:00', 90, ['C']);
    at('12:00:30');
    await book('b4', 3, '21:00', '22:30', 90, ['B']); // flush with b2's end
    at('12:00:40');
    await book('b5', 2, '21:00', '22:00', 60, ['A']);
    at('12:00:50');
    await book('b6', 6, '21:00', '22:30', 90, ['C']); // a PENDING hold (6 ≥ threshold)
    // A six at 21:00: C is held by b6, A and B by b5 and b4 → the waitlist; it leaves.
    at('12:01:00');
    await wait('w3', 6, '21:00', '22:30', 90);
    at('12:01:30');
    expect((await ctx.del(`/api/v1/woki/waitlist/${ids.w3}`)).status).toBe(204);
    // A four from 19:00 to 21:00: every table is taken at 19:00 → the waitlist; it leaves.
    at('12:03:00');
    await wait('w1', 4, '19:00', '21:00', 120);
    at('12:04:00');
    expect((await ctx.del(`/api/v1/woki/waitlist/${ids.w1}`)).status).toBe(204);
    // A two from 21:00 to 22:00: A (b5) and B (b4) taken, C and every combination seat 4 or more → the waitlist.
    at('12:04:30');
    await wait('w2', 2, '21:00', '22:00', 60);
    // b5 cancels: w2 is promoted onto A as b7.
    at('12:05:00');
    expect((await ctx.del(`/api/v1/woki/bookings/${ids.b5}`)).status).toBe(204);
    await eventually(async () => (await ctx.get<{ status: string }>(`/api/v1/woki/waitlist/${ids.w2}`)).body.status, 'BOOKED');
    const promoted = await ctx.get<{ bookingId: string }>(`/api/v1/woki/waitlist/${ids.w2}`);
    ids.b7 = promoted.body.bookingId;
    expect((await ctx.get<BookingBody>(`/api/v1/woki/bookings/${ids.b7}`)).body).toMatchObject({
      tableIds: ['A'],
      start: '2025-11-03T21:00:00-03:00',
      end: '2025-11-03T22:00:00-03:00',
    });
    at('12:06:00');
    await step('b6', 'reject');
    at('12:07:00');
    const blackout = await ctx.post('/api/v1/woki/blackouts', {
      id: 'dark-A',
      restaurantId: R,
      sectorId: S,
      tableIds: ['A'],
      start: '2025-11-03T22:00:00-03:00',
      end: '2025-11-03T23:00:00-03:00',
    });
    expect(blackout.status, blackout.text).toBe(201);

    // The service.
    at('19:00:00');
    await step('b2', 'seat');
    at('19:05:00');
    await step('b1', 'seat');
    at('19:50:00');
    await step('b3', 'no-show');
    at('20:15:00');
    await step('b1', 'finish');
    at('20:20:00');
    const walkIn = await ctx.post<BookingBody>('/api/v1/woki/walkins', { restaurantId: R, sectorId: S, partySize: 2, durationMinutes: 30 });
    expect(walkIn.status, walkIn.text).toBe(201);
    expect(walkIn.body.tableIds).toEqual(['A']);
    ids.walkIn = walkIn.body.id;
    at('20:45:00');
    await step('walkIn', 'finish');
    at('20:55:00');
    await step('b2', 'finish');
    at('21:00:00');
    await step('b4', 'seat');
    at('21:02:00');
    await step('b7', 'seat');
    at('22:00:00');
  });
  afterAll(() => ctx.close());

  /*
   * The day at 22:00:
   *   b1 party 2, A, 19:00–20:30 (90): seated 19:05, finished 20:15 → 70 min
   *   b2 party 4, B, 19:00–21:00 (120): seated 19:00, finished 20:55 → 115 min
   *   b3 party 5, C, 19:30–21:00: NO_SHOW at 19:50
   *   b4 party 3, B, 21:00–22:30: seated 21:00, still seated
   *   b5 party 2, A, 21:00–22:00: cancelled by the guest
   *   b6 party 6, C, 21:00–22:30: hold rejected
   *   b7 party 2, A, 21:00–22:00 (w2 promoted): seated 21:02, still seated
   *   walk-in party 2, A, 20:20 for 30: finished 20:45 → 25 min
   *   waitlist: w1 (4, left), w2 (2, promoted), w3 (6, left)
   */
  it('gives every figure of the day as computed by hand', async () => {
    const day = await report({ sectorId: S });
    expect(day.at).toBe('2025-11-03T22:00:00-03:00');
    // booked: b1..b7 = 7 parties, 2+4+5+3+2+6+2 = 24 covers; cancelled: b5, b6 = 2+6 = 8;
    // no-shows: b3 = 5; seated: b1, b2, b4, b7, walk-in = 2+4+3+2+2 = 13; walked in: 2.
    expect(day.parties).toEqual({ booked: 7, cancelled: 2, noShows: 1, seated: 5, walkedIn: 1 });
    expect(day.covers).toEqual({ booked: 24, cancelled: 8, noShows: 5, seated: 13, walkedIn: 2 });
    // no-show: 1 / (7 booked − 2 cancelled) = 0.2; cancellation: 2 / 7 = 0.285714… → 0.2857.
    expect(day.rates).toEqual({ noShow: 0.2, cancellation: 0.2857 });
    // Finished: b1 70 (booked 90), b2 115 (booked 120), walk-in 25 (booked 30).
    // Twos: 70 and 25 → mean 47.5, median 47.5; fours: 115. All: 210 / 3 = 70, median 70.
    // Errors (actual − booked): −20, −5, −5 → mean absolute 30 / 3 = 10, mean signed −10.
    expect(day.turnTimes).toEqual({
      all: { count: 3, averageMinutes: 70, medianMinutes: 70 },
      byPartySize: [
        { partySize: 2, count: 2, averageMinutes: 47.5, medianMinutes: 47.5 },
        { partySize: 4, count: 1, averageMinutes: 115, medianMinutes: 115 },
      ],
      predictedVsActual: { count: 3, meanAbsoluteErrorMinutes: 10, meanSignedErrorMinutes: -10 },
    });
    // Occupied: b1 2×70 = 140, b2 4×115 = 460, walk-in 2×25 = 50, b4 3×60 (21:00–22:00, now) = 180,
    // b7 2×58 (21:02–22:00) = 116 → 946. Available: (4 + 4 + 6) × 240 min = 3360, less A's
    // blackout 22:00–23:00, 4 × 60 = 240 → 3120. Share 946 / 3120 = 0.30320… → 0.3032.
    expect(day.seatUtilisation).toEqual({ occupiedSeatMinutes: 946, availableSeatMinutes: 3120, share: 0.3032 });
    expect(day.waitlist).toEqual({ joined: 3, promoted: 1, left: 2, waiting: 0 });
    // Covers by the interval the stay starts in, cancelled and no-shows left out:
    // 19:00 b1 + b2 = 6; 20:15 the walk-in (20:20) = 2; 21:00 b4 + b7 = 5; the other 13 intervals 0.
    expect(day.pacing.cap).toBe(20);
    expect(day.pacing.intervals).toHaveLength(16);
    expect(day.pacing.intervals.filter((cell) => cell.covers > 0)).toEqual([
      { start: '2025-11-03T19:00:00-03:00', covers: 6 },
      { start: '2025-11-03T20:15:00-03:00', covers: 2 },
      { start: '2025-11-03T21:00:00-03:00', covers: 5 },
    ]);
    expect(day.pacing.intervals[0]!.start).toBe('2025-11-03T19:00:00-03:00');
    expect(day.pacing.intervals[15]!.start).toBe('2025-11-03T22:45:00-03:00');
    /*
     * Hindsight. Requests: the 5 seated parties at their stays (b1 19:05–20:15 A, b2 19:00–20:55 B,
     * walk-in 20:20–20:45 A, b4 21:00–22:00 B, b7 21:02–22:00 A), the rejected hold b6 (6, 21:00–22:30),
     * w1 (4, 19:00–21:00) and w3 (6, 21:00–22:30): 8. Not requests: b3 (no-show), b5 (cancelled).
     * A six takes C alone or A+B. From 21:02 b4 and b7 hold A and B, so b6 and w3 share C: at most
     * one of them, and giving one A+B costs both b4 and b7. w1 fits C 19:00–21:00 beside everything.
     * So at most 5 + 1 (w1) + 1 (b6 or w3) = 7, and that seating exists: bound 7. Share 5/7 = 0.7143.
     */
    expect(day.hindsight).toEqual({ achieved: 5, bound: 7, requests: 8, share: 0.7143, lp: 'optimal' });
    expect(day.sectors.map((line) => [line.sectorId, line.hindsight.bound])).toEqual([[S, 7]]);
  });

  it('adds up the sectors for the whole restaurant, with a line per sector and the restaurant-wide cap (none here)', async () => {
    const before = await report({ sectorId: S });
    // A second sector, one table for two, and a couple walking in at 22:00 for 30 minutes.
    expect((await ctx.admin('/api/v1/admin/sectors', { id: 'SE', restaurantId: R, name: 'Bar' })).status).toBe(201);
    expect((await ctx.admin('/api/v1/admin/tables', { id: 'E', sectorId: 'SE', minSize: 2, maxSize: 2 })).status).toBe(201);
    const walkIn = await ctx.post('/api/v1/woki/walkins', { restaurantId: R, sectorId: 'SE', partySize: 2, durationMinutes: 30 });
    expect(walkIn.status, walkIn.text).toBe(201);

    const whole = await report();
    expect(whole).not.toHaveProperty('sectorId');
    expect(whole.pacing.cap).toBeNull();
    // One more party seated and walked in, 2 covers each.
    expect(whole.parties).toEqual({ ...before.parties, seated: 6, walkedIn: 2 });
    expect(whole.covers).toEqual({ ...before.covers, seated: 15, walkedIn: 4 });
    // It sat down this very minute: 0 seat-minutes yet; E offers 2 × 240 = 480 → 946 / 3600 = 0.26277… → 0.2628.
    expect(whole.seatUtilisation).toEqual({ occupiedSeatMinutes: 946, availableSeatMinutes: 3600, share: 0.2628 });
    expect(whole.pacing.intervals.find((cell) => cell.start === '2025-11-03T22:00:00-03:00')?.covers).toBe(2);
    // SE: 1 seated of 1 request (its stay is empty so far, and it counts); SD as before: 6 of 8, bound 7 + 1.
    expect(whole.hindsight).toEqual({ achieved: 6, bound: 8, requests: 9, share: 0.75, lp: 'optimal' });
    expect(whole.sectors.map((line) => [line.sectorId, line.hindsight.achieved, line.hindsight.bound])).toEqual([
      ['SD', 5, 7],
      ['SE', 1, 1],
    ]);
    expect(await report({ sectorId: S })).toEqual(before);
  });

  /*
   * At 20:00: b1 and b2 seated, b3 a no-show, b4 and b7 still to come, b5 cancelled, b6 rejected,
   * no walk-in yet; the waitlist as at noon.
   */
  it('gives the figures as they stood at asOf', async () => {
    const then = await report({ sectorId: S, asOf: '2025-11-03T20:00:00-03:00' });
    expect(then.at).toBe('2025-11-03T20:00:00-03:00');
    expect(then.parties).toEqual({ booked: 7, cancelled: 2, noShows: 1, seated: 2, walkedIn: 0 });
    expect(then.covers).toEqual({ booked: 24, cancelled: 8, noShows: 5, seated: 6, walkedIn: 0 });
    expect(then.rates).toEqual({ noShow: 0.2, cancellation: 0.2857 });
    expect(then.turnTimes).toEqual({
      all: { count: 0, averageMinutes: null, medianMinutes: null },
      byPartySize: [],
      predictedVsActual: { count: 0, meanAbsoluteErrorMinutes: null, meanSignedErrorMinutes: null },
    });
    // Still seated up to 20:00: b1 2×55 (19:05–20:00) = 110, b2 4×60 = 240 → 350; 350 / 3120 = 0.11217… → 0.1122.
    expect(then.seatUtilisation).toEqual({ occupiedSeatMinutes: 350, availableSeatMinutes: 3120, share: 0.1122 });
    expect(then.waitlist).toEqual({ joined: 3, promoted: 1, left: 2, waiting: 0 });
    // 19:00: 6; 21:00: b4 + b7 = 5 (the walk-in had not come).
    expect(then.pacing.intervals.filter((cell) => cell.covers > 0).map((cell) => cell.covers)).toEqual([6, 5]);
    /*
     * Requests: b1 (19:05–20:00), b2 (19:00–20:00) seated; b4 (3, 21:00–22:30) and b7 (2, 21:00–22:00)
     * booked; b6 (6, 21:00–22:30); w1 (4, 19:00–21:00); w3 (6, 21:00–22:30): 7. At 21:00 b4 and b7
     * want A and B, b6 and w3 want C or A+B: at most 3 of those 4; b1, b2, w1 fit together: bound 6,
     * share 2/6 = 0.3333.
     */
    expect(then.hindsight).toEqual({ achieved: 2, bound: 6, requests: 7, share: 0.3333, lp: 'optimal' });
    // Before anything was booked, the day is empty.
    const dawn = await report({ sectorId: S, asOf: '2025-11-03T11:00:00-03:00' });
    expect(dawn.parties).toEqual({ booked: 0, cancelled: 0, noShows: 0, seated: 0, walkedIn: 0 });
    expect(dawn.waitlist).toEqual({ joined: 0, promoted: 0, left: 0, waiting: 0 });
    expect(dawn.hindsight).toEqual({ achieved: 0, bound: 0, requests: 0, share: null, lp: 'optimal' });
  });

  it('refuses bad input with 400 and unknown or foreign ids with 404, never 500', async () => {
    const get = (params: Record<string, string>) => ctx.get(`/api/v1/reports/day${qs(params)}`);
    expectError(await get({ restaurantId: R, date: '2025-02-30' }), 400, 'invalid_input');
    expectError(await get({ restaurantId: R, date: 'tomorrow' }), 400, 'invalid_input');
    expectError(await get({ restaurantId: R }), 400, 'invalid_input');
    expectError(await get({ restaurantId: R, date: DATE, asOf: '2025-11-03 20:00' }), 400, 'invalid_input');
    expectError(await get({ restaurantId: R, date: DATE, asOf: '2025-11-03T20:00:00' }), 400, 'invalid_input');
    expectError(await get({ restaurantId: 'bad id!', date: DATE }), 400, 'invalid_input');
    expectError(await get({ restaurantId: 'NOPE', date: DATE }), 404, 'not_found');
    expectError(await get({ restaurantId: R, date: DATE, sectorId: 'NOPE' }), 404, 'not_found');
  });

  it('is in the OpenAPI document', async () => {
    const spec = await ctx.get<{ paths: Record<string, unknown> }>('/api/v1/openapi.json');
    expect(Object.keys(spec.body.paths)).toContain('/api/v1/reports/day');
  });
});
