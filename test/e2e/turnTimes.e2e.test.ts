import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, qs, startServer, type TestServer } from '../support/server.js';
import { ADMIN, R1, startTenants, type Tenants } from '../security/tenants.js';

/** Buenos Aires is UTC−3 all year. */
const at = (date: string, time: string) => Date.parse(`${date}T${time}:00-03:00`);
const MONDAY = '2025-11-03';
const TUESDAY = '2025-11-04';

interface Cell {
  bucket: string;
  weekday?: number;
  service?: string;
  samples: number;
  medianMinutes: number;
  meanMinutes: number;
}
interface TurnTimes {
  from: string;
  to: string;
  minSamples: number;
  cells: Cell[];
  error: Record<
    'booked' | 'learnedOnLastWeek' | 'bookedOnLastWeek',
    { samples: number; meanAbsoluteMinutes: number; meanSignedMinutes: number }
  >;
}

describe('learned turn times', () => {
  const clock = {
    at: at(MONDAY, '10:00'),
    now() {
      return ++this.at;
    },
  };
  let ctx: TestServer;

  /** A party booked for exactly [start, start + booked), seated at `start`, finished at `left`. */
  async function visit(date: string, start: string, booked: number, partySize: number, left: string): Promise<void> {
    clock.at = at(date, '09:00');
    const end = new Date(at(date, start) + booked * 60_000 - 3 * 3_600_000).toISOString().slice(11, 16);
    const created = await ctx.post<{ id: string }>('/api/v1/woki/bookings', {
      restaurantId: 'RT',
      sectorId: 'RT-S',
      date,
      partySize,
      durationMinutes: booked,
      windowStart: start,
      windowEnd: end,
    });
    expect(created.status, created.text).toBe(201);
    clock.at = at(date, start);
    expect((await ctx.post(`/api/v1/woki/bookings/${created.body.id}/seat`, {})).status).toBe(200);
    clock.at = at(date, left);
    expect((await ctx.post(`/api/v1/woki/bookings/${created.body.id}/finish`, {})).status).toBe(200);
  }

  beforeAll(async () => {
    ctx = await startServer({ clock });
    const restaurant = await ctx.admin('/api/v1/admin/restaurants', {
      id: 'RT',
      name: 'Turns',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [
        { start: '12:00', end: '16:00' },
        { start: '19:00', end: '23:45' },
      ],
      durationRules: { rules: [{ upTo: 2, minutes: 60 }], otherwise: 150, learned: true, minSamples: 3 },
    });
    expect(restaurant.status, restaurant.text).toBe(201);
    expect((await ctx.admin('/api/v1/admin/sectors', { id: 'RT-S', restaurantId: 'RT', name: 'Hall' })).status).toBe(201);
    for (let table = 1; table <= 6; table++) {
      expect((await ctx.admin('/api/v1/admin/tables', { id: `RT-T${table}`, sectorId: 'RT-S', minSize: 1, maxSize: 6 })).status).toBe(201);
    }
    // Monday dinner, parties of two booked for 90: they stayed 70, 90 and 120.
    await visit(MONDAY, '19:00', 90, 2, '20:10');
    await visit(MONDAY, '19:00', 90, 2, '20:30');
    await visit(MONDAY, '19:00', 90, 2, '21:00');
    // Monday lunch, parties of four booked for 60: 65 and 75.
    await visit(MONDAY, '12:00', 60, 4, '13:05');
    await visit(MONDAY, '12:00', 60, 3, '13:15');
    // Tuesday dinner, a party of two booked for 90: 50.
    await visit(TUESDAY, '19:00', 90, 1, '19:50');
    clock.at = at('2025-11-10', '10:00');
  });
  afterAll(() => ctx.close());

  it('learns medians by party bucket, weekday and service, with sample counts, and the prediction errors', async () => {
    const reply = await ctx.get<TurnTimes>('/api/v1/restaurants/RT/turn-times');
    expect(reply.status, reply.text).toBe(200);
    const cell = (bucket: string, weekday?: number, service?: string) =>
      reply.body.cells.find((c) => c.bucket === bucket && c.weekday === weekday && c.service === service);
    expect(reply.body).toMatchObject({ from: '2025-08-19', to: '2025-11-10', minSamples: 3 });
    // 1-2 on Mondays at dinner: 70, 90, 120 → median 90, mean 93.3.
    expect(cell('1-2', 1, '19:00')).toEqual({
      bucket: '1-2',
      weekday: 1,
      service: '19:00',
      samples: 3,
      medianMinutes: 90,
      meanMinutes: 93.3,
    });
    expect(cell('1-2', 2, '19:00')).toMatchObject({ samples: 1, medianMinutes: 50 });
    // Dinner on any weekday: 50, 70, 90, 120 → median (70 + 90) / 2 = 80, mean 82.5.
    expect(cell('1-2', undefined, '19:00')).toMatchObject({ samples: 4, medianMinutes: 80, meanMinutes: 82.5 });
    expect(cell('1-2')).toMatchObject({ samples: 4, medianMinutes: 80 });
    // 3-4 at Monday lunch: 65, 75 → 70.
    expect(cell('3-4', 1, '12:00')).toMatchObject({ samples: 2, medianMinutes: 70 });
    // 1-2: (Mon, dinner), (Tue, dinner), (any, dinner), (Mon, any), (Tue, any), (any, any); 3-4: four more.
    expect(reply.body.cells).toHaveLength(10);
    // Booked against actual: −20, 0, +30, +5, +15, −40 → |·| 110 / 6 = 18.3, signed −10 / 6 = −1.7.
    expect(reply.body.error.booked).toEqual({ samples: 6, meanAbsoluteMinutes: 18.3, meanSignedMinutes: -1.7 });
    // The last week (from Nov 4): Tuesday's 50. Learned from before it: dinner 1-2 on any weekday (70, 90, 120) → 90.
    expect(reply.body.error.learnedOnLastWeek).toEqual({ samples: 1, meanAbsoluteMinutes: 40, meanSignedMinutes: -40 });
    expect(reply.body.error.bookedOnLastWeek).toEqual({ samples: 1, meanAbsoluteMinutes: 40, meanSignedMinutes: -40 });
    // Fewer weeks, fewer samples: one week back from Nov 10 reaches Tuesday's visit only.
    const lastWeek = await ctx.get<TurnTimes>('/api/v1/restaurants/RT/turn-times?weeks=1');
    expect(lastWeek.body.from).toBe('2025-11-04');
    expect(lastWeek.body.cells.map((c) => c.samples)).toEqual([1, 1, 1, 1]);
  });

  it('gives a discover without a duration the learned stay where a cell has enough samples, the fixed rules elsewhere', async () => {
    const discover = (date: string, partySize: number, windowStart?: string) =>
      ctx.get<{ durationMinutes: number }>(
        `/api/v1/woki/discover${qs({ restaurantId: 'RT', sectorId: 'RT-S', date, partySize, ...(windowStart ? { windowStart } : {}) })}`,
      );
    // A Monday dinner for two: 3 samples → median 90 (the rules say 60).
    expect((await discover('2025-11-17', 2, '19:00')).body.durationMinutes).toBe(90);
    // A Tuesday dinner: 1 sample on Tuesdays, so dinner on any day: median 80, up to the grid → 90.
    expect((await discover('2025-11-18', 2, '19:00')).body.durationMinutes).toBe(90);
    // Four at lunch: 2 samples, fewer than 3 → the rules' 150.
    expect((await discover('2025-11-17', 4, '12:00')).body.durationMinutes).toBe(150);
    // A duration given is the duration used.
    const given = await ctx.get<{ durationMinutes: number }>(
      `/api/v1/woki/discover${qs({ restaurantId: 'RT', sectorId: 'RT-S', date: '2025-11-17', partySize: 2, duration: 45 })}`,
    );
    expect(given.body.durationMinutes).toBe(45);
  });

  it('refuses bad input with 400 and an unknown restaurant with 404', async () => {
    expectError(await ctx.get('/api/v1/restaurants/RT/turn-times?weeks=0'), 400, 'invalid_input');
    expectError(await ctx.get('/api/v1/restaurants/RT/turn-times?weeks=abc'), 400, 'invalid_input');
    expectError(await ctx.get('/api/v1/restaurants/NOPE/turn-times'), 404, 'not_found');
  });
});

describe('access to turn times', () => {
  let t: Tenants;
  beforeAll(async () => {
    t = await startTenants();
  });
  afterAll(() => t.ctx.close());

  it('managers and owners read them; a host gets 403, a stranger 401, another restaurant 404', async () => {
    const path = `/api/v1/restaurants/${R1.restaurantId}/turn-times`;
    const read = (headers: Record<string, string>) => t.ctx.request('GET', path, { headers });
    expect((await read(t.r1.manager.headers)).status).toBe(200);
    expect((await read(t.r1.owner.headers)).status).toBe(200);
    expect((await read(ADMIN)).status).toBe(200);
    expectError(await read(t.r1.host.headers), 403, 'forbidden');
    expectError(await read({}), 401, 'unauthorized');
    expectError(await read(t.r2.manager.headers), 404, 'not_found');
  });
});
