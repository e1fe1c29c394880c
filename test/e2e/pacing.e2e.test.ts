import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streams } from '../../src/application/ports/eventStore.js';
import { ADMIN_SECRET, expectError, qs, startServer, type BookingBody, type DiscoverBody, type TestServer } from '../support/server.js';

/**
 * SPEC §9 pacing and channels, over HTTP: anonymous callers book `online`, the
 * admin secret books `staff`.
 */
const ZONE = 'America/Argentina/Buenos_Aires';
const ADMIN = { 'x-admin-secret': ADMIN_SECRET };
const ANONYMOUS: Record<string, string> = {};

let ctx: TestServer;

async function setUp(path: string, body: Record<string, unknown>): Promise<void> {
  const created = await ctx.admin(path, body);
  expect(created.status, created.text).toBe(201);
}

async function patch<T = Record<string, unknown>>(path: string, body: unknown, headers = ADMIN) {
  return ctx.request<T>('PATCH', path, { body, headers });
}

function book(body: Record<string, unknown>, headers: Record<string, string>) {
  return ctx.request<BookingBody & { source?: string }>('POST', '/api/v1/woki/bookings', { body, headers });
}

function discover(params: Record<string, string | number | undefined>, headers: Record<string, string>) {
  return ctx.request<DiscoverBody>('GET', `/api/v1/woki/discover${qs(params)}`, { headers });
}

const localTime = (instant: string) => instant.slice(11, 16);

beforeAll(async () => {
  ctx = await startServer();
  // RP: two sectors of four 4-tops each; a restaurant-wide cap of 10 covers.
  await setUp('/api/v1/admin/restaurants', { id: 'RP', name: 'Paced', timezone: ZONE, windows: [{ start: '18:00', end: '23:45' }] });
  for (const sector of ['SPA', 'SPB']) {
    await setUp('/api/v1/admin/sectors', { id: sector, restaurantId: 'RP', name: sector });
    for (const n of [1, 2, 3, 4]) await setUp('/api/v1/admin/tables', { id: `${sector}-${n}`, sectorId: sector, minSize: 2, maxSize: 4 });
  }
  // RS: the cap is the sector's, and only one sector has one.
  await setUp('/api/v1/admin/restaurants', { id: 'RS', name: 'Sector paced', timezone: ZONE, windows: [{ start: '18:00', end: '23:45' }] });
  await setUp('/api/v1/admin/sectors', {
    id: 'SSA',
    restaurantId: 'RS',
    name: 'Paced hall',
    pacing: { maxCoversPerInterval: 10 },
  });
  await setUp('/api/v1/admin/sectors', { id: 'SSB', restaurantId: 'RS', name: 'Free hall' });
  for (const sector of ['SSA', 'SSB']) {
    for (const n of [1, 2, 3, 4]) await setUp('/api/v1/admin/tables', { id: `${sector}-${n}`, sectorId: sector, minSize: 2, maxSize: 4 });
  }
  // RC: one table for each channel set.
  await setUp('/api/v1/admin/restaurants', { id: 'RC', name: 'Channels', timezone: ZONE, windows: [{ start: '18:00', end: '23:45' }] });
  await setUp('/api/v1/admin/sectors', { id: 'SC', restaurantId: 'RC', name: 'Hall' });
  await setUp('/api/v1/admin/tables', { id: 'OPEN', sectorId: 'SC', minSize: 2, maxSize: 4 });
  await setUp('/api/v1/admin/tables', { id: 'HOUSE', sectorId: 'SC', minSize: 2, maxSize: 4, channels: ['staff'] });
  await setUp('/api/v1/admin/tables', { id: 'WALK', sectorId: 'SC', minSize: 2, maxSize: 4 });
});

afterAll(() => ctx.close());

describe('pacing: a cap of 10 covers per 15 minutes', () => {
  const at19 = { partySize: 4, durationMinutes: 90, windowStart: '19:00', windowEnd: '20:30' };

  it('takes 4 + 4 at 19:00, refuses a third 4 online (409 pacing_limit), and takes it from staff with override, recorded with the actor', async () => {
    const set = await patch('/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10 } });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ id: 'RP', pacing: { maxCoversPerInterval: 10 } });

    const date = '2026-03-02';
    const where = { restaurantId: 'RP', sectorId: 'SPA', date, ...at19 };
    for (let i = 0; i < 2; i++) {
      const taken = await book(where, ANONYMOUS);
      expect(taken.status, taken.text).toBe(201);
      expect(localTime(taken.body.start)).toBe('19:00');
    }
    // Tables are free (two of four), but the kitchen's pace is not.
    expectError(await book(where, ANONYMOUS), 409, 'pacing_limit');
    // The cap is restaurant-wide: the other sector's 19:00 is full too.
    expectError(await book({ ...where, sectorId: 'SPB' }, ANONYMOUS), 409, 'pacing_limit');
    // Without a sector as well.
    expectError(await book({ ...where, sectorId: undefined }, ANONYMOUS), 409, 'pacing_limit');
    // Staff are held to the cap unless they override; the public may not override.
    expectError(await book(where, ADMIN), 409, 'pacing_limit');
    expectError(await book({ ...where, override: true }, ANONYMOUS), 403, 'forbidden');

    const forced = await book({ ...where, override: true }, ADMIN);
    expect(forced.status, forced.text).toBe(201);
    expect(localTime(forced.body.start)).toBe('19:00');
    const [event] = await ctx.deps.events.readStream(streams.booking(forced.body.id));
    expect(event!.metadata.actor).toBe('admin');
    expect(event!.data).toMatchObject({ booking: { source: 'staff', pacingOverride: { actor: 'admin' } } });
  });

  it('discover hides the full 19:00 interval and still offers 19:15, in the sector and across sectors', async () => {
    const date = '2026-03-03';
    for (let i = 0; i < 2; i++) expect((await book({ restaurantId: 'RP', sectorId: 'SPA', date, ...at19 }, ANONYMOUS)).status).toBe(201);
    for (const sectorId of ['SPA', 'SPB', undefined]) {
      const found = await discover(
        { restaurantId: 'RP', sectorId, date, partySize: 4, duration: 90, windowStart: '19:00', windowEnd: '21:00', limit: 100 },
        ANONYMOUS,
      );
      expect(found.status, found.text).toBe(200);
      const starts = new Set(found.body.candidates.map((candidate) => localTime(candidate.start)));
      expect(starts.has('19:00')).toBe(false);
      expect(starts.has('19:15')).toBe(true);
    }
    // A party of 2 still fits in 19:00 (8 + 2 ≤ 10).
    const pair = await discover(
      { restaurantId: 'RP', sectorId: 'SPB', date, partySize: 2, duration: 90, windowStart: '19:00', windowEnd: '20:30' },
      ANONYMOUS,
    );
    expect(pair.status, pair.text).toBe(200);
    expect(pair.body.candidates.every((candidate) => localTime(candidate.start) === '19:00')).toBe(true);
  });

  it('a booking in another sector retires a cached discover that a restaurant-wide cap depends on', async () => {
    const date = '2026-03-04';
    const query = { restaurantId: 'RP', sectorId: 'SPB', date, partySize: 4, duration: 90, windowStart: '19:00', windowEnd: '20:30' };
    const before = await discover(query, ANONYMOUS);
    expect(before.status, before.text).toBe(200);
    expect(before.body.candidates.length).toBeGreaterThan(0);
    // Eight covers at 19:00 in the other sector: SPB's revision does not move.
    for (let i = 0; i < 2; i++) expect((await book({ restaurantId: 'RP', sectorId: 'SPA', date, ...at19 }, ADMIN)).status).toBe(201);
    expectError(await discover(query, ANONYMOUS), 409, 'pacing_limit');
  });

  it('an online cap below the cap, and a date override, count every channel against the same total', async () => {
    const set = await patch('/api/v1/restaurants/RP', {
      pacing: { maxCoversPerInterval: 10, onlineMaxCoversPerInterval: 4, overrides: [{ date: '2026-03-06', maxCoversPerInterval: 2 }] },
    });
    expect(set.status, set.text).toBe(200);
    const where = { restaurantId: 'RP', sectorId: 'SPA', date: '2026-03-05', ...at19 };
    expect((await book(where, ANONYMOUS)).status).toBe(201);
    // 4 online reached: the public is refused, staff still book up to 10.
    expectError(await book({ ...where, partySize: 2 }, ANONYMOUS), 409, 'pacing_limit');
    expect((await book(where, ADMIN)).status).toBe(201);
    expectError(await book({ ...where, partySize: 3 }, ADMIN), 409, 'pacing_limit');
    expect((await book({ ...where, partySize: 2 }, ADMIN)).status).toBe(201);
    // The override date caps everyone at 2.
    const override = { ...where, date: '2026-03-06', partySize: 2 };
    expect((await book(override, ADMIN)).status).toBe(201);
    expectError(await book(override, ADMIN), 409, 'pacing_limit');
    // Cleared: no cap at all.
    const cleared = await patch<Record<string, unknown>>('/api/v1/restaurants/RP', { pacing: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.pacing).toBeUndefined();
    expect((await book(override, ANONYMOUS)).status).toBe(201);
  });

  it('setting and clearing a cap retires cached discover answers at once', async () => {
    const date = '2026-03-10';
    const query = { restaurantId: 'RP', sectorId: 'SPA', date, partySize: 4, duration: 90, windowStart: '19:00', windowEnd: '20:30' };
    for (let i = 0; i < 2; i++) expect((await book({ restaurantId: 'RP', sectorId: 'SPA', date, ...at19 }, ADMIN)).status).toBe(201);
    expect((await discover(query, ANONYMOUS)).status).toBe(200);
    expect((await patch('/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10 } })).status).toBe(200);
    expectError(await discover(query, ANONYMOUS), 409, 'pacing_limit');
    expect((await patch('/api/v1/restaurants/RP', { pacing: null })).status).toBe(200);
    expect((await discover(query, ANONYMOUS)).status).toBe(200);
    expect((await patch('/api/v1/sectors/SPA', { pacing: { maxCoversPerInterval: 10 } })).status).toBe(200);
    expectError(await discover(query, ANONYMOUS), 409, 'pacing_limit');
    expect((await patch('/api/v1/sectors/SPA', { pacing: null })).status).toBe(200);
    expect((await discover(query, ANONYMOUS)).status).toBe(200);
  });

  it("a sector's cap counts that sector only", async () => {
    const date = '2026-03-02';
    const where = { restaurantId: 'RS', sectorId: 'SSA', date, ...at19 };
    expect((await book({ ...where, sectorId: 'SSB' }, ANONYMOUS)).status).toBe(201);
    expect((await book({ ...where, sectorId: 'SSB' }, ANONYMOUS)).status).toBe(201);
    expect((await book({ ...where, sectorId: 'SSB' }, ANONYMOUS)).status).toBe(201);
    expect((await book(where, ANONYMOUS)).status).toBe(201);
    expect((await book(where, ANONYMOUS)).status).toBe(201);
    expectError(await book(where, ANONYMOUS), 409, 'pacing_limit');
    // Without a sector, the free hall takes the party.
    const anywhere = await book({ ...where, sectorId: undefined }, ANONYMOUS);
    expect(anywhere.status, anywhere.text).toBe(201);
    expect(anywhere.body.sectorId).toBe('SSB');
  });

  it('a cancelled booking gives its covers back', async () => {
    const date = '2026-03-09';
    const where = { restaurantId: 'RS', sectorId: 'SSA', date, ...at19 };
    const first = await book(where, ANONYMOUS);
    expect((await book(where, ANONYMOUS)).status).toBe(201);
    expectError(await book(where, ANONYMOUS), 409, 'pacing_limit');
    expect((await ctx.del(`/api/v1/woki/bookings/${first.body.id}`)).status).toBe(204);
    expect((await book(where, ANONYMOUS)).status).toBe(201);
  });
});

describe('channels', () => {
  const date = '2026-04-01';
  const query = {
    restaurantId: 'RC',
    sectorId: 'SC',
    date,
    partySize: 2,
    duration: 60,
    windowStart: '20:00',
    windowEnd: '21:00',
    limit: 100,
  };
  const tablesOf = (body: DiscoverBody) => new Set(body.candidates.flatMap((candidate) => candidate.tableIds));

  beforeAll(async () => {
    const walkInOnly = await patch('/api/v1/tables/WALK', { channels: ['walk_in'] });
    expect(walkInOnly.status, walkInOnly.text).toBe(200);
    expect(walkInOnly.body).toMatchObject({ id: 'WALK', channels: ['walk_in'] });
  });

  it('a walk-in-only table is never offered online nor to staff; a staff-only table is offered to staff, not online', async () => {
    const online = await discover(query, ANONYMOUS);
    expect(online.status, online.text).toBe(200);
    expect([...tablesOf(online.body)]).toEqual(['OPEN']);
    const staff = await discover(query, ADMIN);
    expect(staff.status, staff.text).toBe(200);
    expect([...tablesOf(staff.body)].sort()).toEqual(['HOUSE', 'OPEN']);
  });

  it('creates use only tables open to the channel: the walk-in table is never booked', async () => {
    const where = { restaurantId: 'RC', sectorId: 'SC', date, partySize: 2, durationMinutes: 60, windowStart: '20:00', windowEnd: '21:00' };
    const online = await book(where, ANONYMOUS);
    expect(online.status, online.text).toBe(201);
    expect(online.body.tableIds).toEqual(['OPEN']);
    // The open table is taken: the public has nothing left, though two tables stand free.
    expectError(await book(where, ANONYMOUS), 409, 'no_capacity');
    const staff = await book(where, ADMIN);
    expect(staff.status, staff.text).toBe(201);
    expect(staff.body.tableIds).toEqual(['HOUSE']);
    expectError(await book(where, ADMIN), 409, 'no_capacity');
  });

  it("a sector's channels are its tables' default; a table's own replace them; null clears", async () => {
    const sector = await patch('/api/v1/sectors/SC', { channels: ['staff', 'walk_in'] });
    expect(sector.status, sector.text).toBe(200);
    expect(sector.body).toMatchObject({ id: 'SC', channels: ['staff', 'walk_in'] });
    const other = { ...query, date: '2026-04-02' };
    expectError(await discover(other, ANONYMOUS), 409, 'no_capacity');
    expect([...tablesOf((await discover(other, ADMIN)).body)].sort()).toEqual(['HOUSE', 'OPEN']);
    const cleared = await patch<Record<string, unknown>>('/api/v1/sectors/SC', { channels: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.channels).toBeUndefined();
    expect([...tablesOf((await discover(other, ANONYMOUS)).body)]).toEqual(['OPEN']);
  });
});

describe('settings validation', () => {
  const bad: [string, unknown][] = [
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 0 } }],
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10_001 } }],
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 2.5 } }],
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10, onlineMaxCoversPerInterval: 11 } }],
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10, overrides: [{ date: '2025-02-30', maxCoversPerInterval: 5 }] } }],
    [
      '/api/v1/restaurants/RP',
      {
        pacing: {
          maxCoversPerInterval: 10,
          overrides: [
            { date: '2026-01-01', maxCoversPerInterval: 5 },
            { date: '2026-01-01', maxCoversPerInterval: 6 },
          ],
        },
      },
    ],
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10, surprise: 1 } }],
    ['/api/v1/restaurants/RP', { pacing: '10' }],
    ['/api/v1/restaurants/RP', { noShowAfterMinutes: 0 }],
    ['/api/v1/restaurants/RP', { noShowAfterMinutes: 241 }],
    ['/api/v1/restaurants/RP', {}],
    ['/api/v1/restaurants/RP', { name: 'renamed' }],
    ['/api/v1/sectors/SC', { channels: [] }],
    ['/api/v1/sectors/SC', { channels: ['online', 'online'] }],
    ['/api/v1/sectors/SC', { channels: ['phone'] }],
    ['/api/v1/tables/OPEN', { channels: 'online' }],
    ['/api/v1/tables/OPEN', { minSize: 1 }],
    ['/api/v1/tables/OPEN', null],
    ['/api/v1/tables/OPEN', []],
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10, overrides: 'x' } }],
    ['/api/v1/restaurants/RP', { pacing: { maxCoversPerInterval: 10, overrides: [{ date: '2026-01-01' }] } }],
    ['/api/v1/restaurants/bad%20id', { noShowAfterMinutes: 30 }],
  ];

  it.each(bad)('%s %j → 400 invalid_input', async (path, body) => {
    expectError(await patch(path, body), 400, 'invalid_input');
  });

  it('never answers 500, whatever JSON the body holds', async () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -20_000, max: 20_000 }),
      fc.double(),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('2026-02-29', '2028-02-29', 'online', 'walk_in', 'staff'),
    );
    const field = fc.constantFrom(
      'pacing',
      'noShowAfterMinutes',
      'channels',
      'maxCoversPerInterval',
      'onlineMaxCoversPerInterval',
      'overrides',
      'date',
    );
    const body = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        value,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(field, tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/restaurants/RS', '/api/v1/sectors/SSB', '/api/v1/tables/SSB-4'),
        body,
        async (path, sent) => {
          const reply = await patch(path, sent);
          expect([200, 400], `${path} ${JSON.stringify(sent)}: ${reply.text}`).toContain(reply.status);
          if (reply.status === 400) expectError(reply, 400, 'invalid_input');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a missing entity is 404', async () => {
    expectError(await patch('/api/v1/restaurants/NOPE', { noShowAfterMinutes: 30 }), 404, 'not_found');
    expectError(await patch('/api/v1/sectors/NOPE', { channels: ['staff'] }), 404, 'not_found');
    expectError(await patch('/api/v1/tables/NOPE', { channels: ['staff'] }), 404, 'not_found');
  });

  it('sets the no-show grace, keeps the other settings, moves updatedAt, and answers at the root mount too', async () => {
    const first = await patch<Record<string, unknown>>('/api/v1/restaurants/RS', { noShowAfterMinutes: 30 });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ noShowAfterMinutes: 30 });
    const again = await patch<Record<string, unknown>>('/restaurants/RS', { pacing: { maxCoversPerInterval: 50 } });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ noShowAfterMinutes: 30, pacing: { maxCoversPerInterval: 50 } });
    expect(Date.parse(again.body.updatedAt as string)).toBeGreaterThanOrEqual(Date.parse(first.body.updatedAt as string));
    expect((await ctx.deps.reads.restaurant('RS'))?.noShowAfterMinutes).toBe(30);
  });
});

describe('walk-ins and pacing', () => {
  // 19:07 local on the day: walk-ins start now, off the grid.
  const clock = {
    at: Date.parse('2026-05-04T19:07:00-03:00'),
    now() {
      return this.at;
    },
  };
  let floor: TestServer;

  beforeAll(async () => {
    floor = await startServer({ clock });
    const steps: [string, Record<string, unknown>][] = [
      ['/api/v1/admin/restaurants', { id: 'RW', name: 'Walk-ins', timezone: ZONE, windows: [{ start: '18:00', end: '23:45' }] }],
      ['/api/v1/admin/sectors', { id: 'SW', restaurantId: 'RW', name: 'Bar', pacing: { maxCoversPerInterval: 4 } }],
      ['/api/v1/admin/tables', { id: 'W1', sectorId: 'SW', minSize: 1, maxSize: 6, channels: ['walk_in'] }],
      ['/api/v1/admin/tables', { id: 'W2', sectorId: 'SW', minSize: 1, maxSize: 6 }],
    ];
    for (const [path, body] of steps) expect((await floor.admin(path, body)).status).toBe(201);
  });
  afterAll(() => floor.close());

  it('are never refused by pacing, and count in the quarter hour they started in', async () => {
    const walkIn = await floor.post<BookingBody & { source?: string }>('/api/v1/woki/walkins', {
      restaurantId: 'RW',
      sectorId: 'SW',
      partySize: 6,
      durationMinutes: 60,
    });
    // Six covers against a cap of four: seated all the same, on the walk-in table.
    expect(walkIn.status, walkIn.text).toBe(201);
    expect(walkIn.body.tableIds).toEqual(['W1']);
    // The 19:00 quarter is now over its cap for anyone booking; 19:15 is not.
    const at = { restaurantId: 'RW', sectorId: 'SW', date: '2026-05-04', partySize: 2, durationMinutes: 60 };
    expectError(
      await floor.request('POST', '/api/v1/woki/bookings', { body: { ...at, windowStart: '19:00', windowEnd: '20:00' }, headers: ADMIN }),
      409,
      'pacing_limit',
    );
    const later = await floor.request<BookingBody>('POST', '/api/v1/woki/bookings', {
      body: { ...at, windowStart: '19:15', windowEnd: '20:15' },
      headers: {},
    });
    expect(later.status, later.text).toBe(201);
    expect(later.body.tableIds).toEqual(['W2']);
  });
});
