import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_SECRET,
  createBooking,
  discover,
  expectError,
  listDay,
  qs,
  startServer,
  type BookingBody,
  type DiscoverBody,
  type TestServer,
} from '../support/server.js';

/**
 * Restaurant RM, dinner 19:00–23:00 (Madrid, +02:00 in June), two sectors:
 * SA "Terrace" with two 2-tops (a party of 4 needs both), SB "Hall" with one table for 3–4.
 * Sector ids sort SA first, so only the WokiBrain order can put SB's single first.
 */
const DATE = '2025-06-10';
const WHERE = { restaurantId: 'RM', date: DATE } as const;
const EIGHT_PM = { windowStart: '20:00', windowEnd: '21:00' } as const;
const admin = { 'x-admin-secret': ADMIN_SECRET };

async function setup(ctx: TestServer, options: { publicBooking?: boolean } = {}): Promise<void> {
  const restaurant = await ctx.admin('/api/v1/admin/restaurants', {
    id: 'RM',
    name: 'Two rooms',
    timezone: 'Europe/Madrid',
    windows: [{ start: '19:00', end: '23:00' }],
    ...options,
  });
  expect(restaurant.status, restaurant.text).toBe(201);
  for (const [id, name] of [
    ['SA', 'Terrace'],
    ['SB', 'Hall'],
  ]) {
    expect((await ctx.admin('/api/v1/admin/sectors', { id, restaurantId: 'RM', name })).status).toBe(201);
  }
  for (const table of [
    { id: 'A1', sectorId: 'SA', minSize: 2, maxSize: 2 },
    { id: 'A2', sectorId: 'SA', minSize: 2, maxSize: 2 },
    { id: 'B1', sectorId: 'SB', minSize: 3, maxSize: 4 },
  ]) {
    expect((await ctx.admin('/api/v1/admin/tables', { ...table, name: table.id })).status).toBe(201);
  }
}

describe('whole-restaurant discover and create (no sectorId)', () => {
  let ctx: TestServer;
  beforeEach(async () => {
    ctx = await startServer();
    await setup(ctx);
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('ranks every sector together: the Hall’s single before the Terrace’s combination, each naming its sector', async () => {
    const found = await discover(ctx, { ...WHERE, ...EIGHT_PM, partySize: 4, duration: 60 });
    expect(found.status, found.text).toBe(200);
    expect(found.body.candidates.map((c) => [c.sectorId, c.kind, c.tableIds, c.start])).toEqual([
      ['SB', 'single', ['B1'], '2025-06-10T20:00:00+02:00'],
      ['SA', 'combo', ['A1', 'A2'], '2025-06-10T20:00:00+02:00'],
    ]);
    expect(found.body.candidates[0]!.score).toBeGreaterThan(found.body.candidates[1]!.score);
    expect(found.body.candidates[1]!.rationale).toMatch(/^Terrace: Tables A1\+A2/);

    // The whole evening: every start of B1 (fewest tables) before any combination.
    const evening = await discover(ctx, { ...WHERE, partySize: 4, duration: 60, limit: 100 });
    const sectors = evening.body.candidates.map((c) => c.sectorId);
    expect(sectors.slice(0, 13)).toEqual(Array(13).fill('SB'));
    expect(new Set(sectors.slice(13))).toEqual(new Set(['SA']));
    const scores = evening.body.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('names the sector on every candidate when one is given, and searches only it', async () => {
    const found = await discover(ctx, { ...WHERE, sectorId: 'SA', ...EIGHT_PM, partySize: 4, duration: 60 });
    expect(found.body.candidates.map((c) => [c.sectorId, c.tableIds])).toEqual([['SA', ['A1', 'A2']]]);
    expect(found.body.candidates[0]!.rationale).toMatch(/^Tables A1\+A2/);
  });

  it('creates in the sector of the best candidate still free, then in the next one, then refuses', async () => {
    const first = await createBooking(ctx, { ...WHERE, ...EIGHT_PM, partySize: 4, durationMinutes: 60 });
    expect([first.status, first.body.sectorId, first.body.tableIds, first.body.start]).toEqual([
      201,
      'SB',
      ['B1'],
      '2025-06-10T20:00:00+02:00',
    ]);
    // The whole-restaurant answer follows the change in SB (its cache key holds every sector's revision).
    const after = await discover(ctx, { ...WHERE, ...EIGHT_PM, partySize: 4, duration: 60 });
    expect(after.body.candidates.map((c) => [c.sectorId, c.tableIds])).toEqual([['SA', ['A1', 'A2']]]);

    const second = await createBooking(ctx, { ...WHERE, ...EIGHT_PM, partySize: 4, durationMinutes: 60 });
    expect([second.status, second.body.sectorId, second.body.tableIds]).toEqual([201, 'SA', ['A1', 'A2']]);
    expect((await listDay(ctx, 'RM', 'SB', DATE)).body.items.map((b) => b.id)).toEqual([first.body.id]);
    expect((await listDay(ctx, 'RM', 'SA', DATE)).body.items.map((b) => b.id)).toEqual([second.body.id]);

    expectError(await createBooking(ctx, { ...WHERE, ...EIGHT_PM, partySize: 4, durationMinutes: 60 }), 409, 'no_capacity');
    expectError(await discover(ctx, { ...WHERE, ...EIGHT_PM, partySize: 4, duration: 60 }), 409, 'no_capacity');
  });

  it('never double-books under parallel creates across sectors: exactly one per sector', async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => createBooking(ctx, { ...WHERE, ...EIGHT_PM, partySize: 4, durationMinutes: 60 })),
    );
    const booked = replies.filter((reply) => reply.status === 201).map((reply) => reply.body);
    expect(booked.map((b) => b.sectorId).sort()).toEqual(['SA', 'SB']);
    for (const reply of replies.filter((r) => r.status !== 201)) expectError(reply, 409, 'no_capacity');
  });

  it('answers 404 for a restaurant that does not exist, and 422 when the window misses every sector’s hours', async () => {
    expectError(await discover(ctx, { restaurantId: 'NOPE', date: DATE, partySize: 2, duration: 60 }), 404, 'not_found');
    expectError(await createBooking(ctx, { restaurantId: 'NOPE', date: DATE, partySize: 2, durationMinutes: 60 }), 404, 'not_found');
    const anonymous = await ctx.request(
      'GET',
      `/api/v1/woki/discover${qs({ restaurantId: 'NOPE', date: DATE, partySize: 2, duration: 60 })}`,
    );
    expectError(anonymous, 404, 'not_found');
    expectError(
      await discover(ctx, { ...WHERE, partySize: 2, duration: 60, windowStart: '12:00', windowEnd: '15:00' }),
      422,
      'outside_service_window',
    );
  });

  it('waits, with waitlist: true, in the first sector (by id) whose tables could seat the party', async () => {
    const full = { ...WHERE, ...EIGHT_PM, partySize: 4, durationMinutes: 60 };
    expect((await createBooking(ctx, full)).status).toBe(201);
    expect((await createBooking(ctx, full)).status).toBe(201);
    const waiting = await ctx.post<{ status: string; sectorId: string }>('/api/v1/woki/bookings', { ...full, waitlist: true });
    expect([waiting.status, waiting.body.status, waiting.body.sectorId]).toEqual([202, 'WAITING', 'SA']);
    // No set of 2-tops seats exactly 3: only the Hall could.
    const three = await ctx.post<{ status: string; sectorId: string }>('/api/v1/woki/bookings', { ...full, partySize: 3, waitlist: true });
    expect([three.status, three.body.sectorId]).toEqual([202, 'SB']);
    // A party no sector could ever seat is refused, not queued.
    expectError(await ctx.post('/api/v1/woki/bookings', { ...full, partySize: 5, waitlist: true }), 409, 'no_capacity');
  });

  it('documents the optional sectorId, the sector of each candidate and the alternatives in OpenAPI', async () => {
    type Operation = {
      parameters?: { name: string; required?: boolean }[];
      requestBody?: { content: Record<string, { schema: { required: string[] } }> };
      responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }>;
    };
    const spec = await ctx.get<{
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    }>('/api/v1/openapi.json');
    const { paths, components } = spec.body;
    const discoverOp = paths['/api/v1/woki/discover']!.get!;
    expect(discoverOp.parameters!.find((p) => p.name === 'sectorId')!.required).toBe(false);
    const create = paths['/api/v1/woki/bookings']!.post!;
    expect(create.requestBody!.content['application/json']!.schema.required).not.toContain('sectorId');
    for (const operation of [discoverOp, create]) {
      expect(operation.responses['409']!.content['application/json']!.schema.$ref).toBe('#/components/schemas/ErrorWithAlternatives');
    }
    expect(components.schemas.ErrorWithAlternatives!.properties).toHaveProperty('alternatives');
    expect(components.schemas.Alternative!.required!.sort()).toEqual(['date', 'end', 'kind', 'sectorId', 'start', 'tableIds']);
  });

  it('is served at the root mount too', async () => {
    const found = await ctx.get<DiscoverBody>(`/woki/discover${qs({ ...WHERE, ...EIGHT_PM, partySize: 4, duration: 60 })}`);
    expect(found.body.candidates.map((c) => c.sectorId)).toEqual(['SB', 'SA']);
    const booked = await ctx.post<BookingBody>('/woki/bookings', { ...WHERE, ...EIGHT_PM, partySize: 4, durationMinutes: 60 });
    expect([booked.status, booked.body.sectorId]).toEqual([201, 'SB']);
  });
});

describe('whole-restaurant access: the same restaurant-level checks', () => {
  let ctx: TestServer;
  beforeEach(async () => {
    ctx = await startServer();
    await setup(ctx, { publicBooking: false });
    const other = await ctx.admin('/api/v1/admin/restaurants', { id: 'RO', name: 'Other', timezone: 'Europe/Madrid' });
    expect(other.status).toBe(201);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const query = qs({ ...WHERE, partySize: 2, duration: 60 });
  const apiKey = async (restaurantId: string, scopes: string[]) => {
    const created = await ctx.request<{ key: string }>('POST', `/api/v1/restaurants/${restaurantId}/api-keys`, {
      body: { name: 'pos', scopes },
      headers: admin,
    });
    expect(created.status, created.text).toBe(201);
    return { 'x-api-key': created.body.key };
  };

  it('refuses anonymous callers where the restaurant takes no public bookings, as with a sector', async () => {
    expectError(await ctx.request('GET', `/api/v1/woki/discover${query}`), 401, 'unauthorized');
    const body = { ...WHERE, partySize: 2, durationMinutes: 60 };
    expectError(await ctx.request('POST', '/api/v1/woki/bookings', { body }), 401, 'unauthorized');
    expect((await ctx.get(`/api/v1/woki/discover${query}`)).status).toBe(200);
  });

  it('lets an API key of the restaurant with availability:read discover, and answers 404 to another restaurant’s key', async () => {
    expect((await ctx.request('GET', `/api/v1/woki/discover${query}`, { headers: await apiKey('RM', ['availability:read']) })).status).toBe(
      200,
    );
    expectError(
      await ctx.request('GET', `/api/v1/woki/discover${query}`, { headers: await apiKey('RM', ['bookings:write']) }),
      403,
      'forbidden',
    );
    expectError(
      await ctx.request('GET', `/api/v1/woki/discover${query}`, { headers: await apiKey('RO', ['availability:read']) }),
      404,
      'not_found',
    );
  });
});
