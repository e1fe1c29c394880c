import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durationForParty } from '../../src/domain/restaurants/stayLength.js';
import { elapsedMinutes, expectError, qs, startServer, type BookingBody, type DiscoverBody, type TestServer } from '../support/server.js';

const RULES = {
  rules: [
    { upTo: 4, minutes: 90 },
    { upTo: 2, minutes: 75 },
    { upTo: 8, minutes: 120 },
  ],
  otherwise: 150,
};
const WHERE = { restaurantId: 'RD', sectorId: 'SD', date: '2025-10-22' };

describe('stay length by party size', () => {
  let ctx: TestServer;

  beforeAll(async () => {
    ctx = await startServer({ seed: true });
    const restaurant = await ctx.admin('/api/v1/admin/restaurants', {
      id: 'RD',
      name: 'Rules',
      timezone: 'Europe/Madrid',
      windows: [{ start: '12:00', end: '23:00' }],
      durationRules: RULES,
    });
    expect(restaurant.status, restaurant.text).toBe(201);
    expect((restaurant.body as { durationRules: unknown }).durationRules).toEqual(RULES);
    expect((await ctx.admin('/api/v1/admin/sectors', { id: 'SD', restaurantId: 'RD', name: 'Hall' })).status).toBe(201);
    for (const [id, minSize, maxSize] of [
      ['A', 1, 2],
      ['B', 2, 4],
      ['C', 4, 8],
      ['D', 6, 12],
    ] as const) {
      expect((await ctx.admin('/api/v1/admin/tables', { id, sectorId: 'SD', minSize, maxSize })).status).toBe(201);
    }
  });

  afterAll(() => ctx.close());

  it('picks the first rule that holds the party, whatever order the rules were given in', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 40].map((party) => durationForParty(RULES, party))).toEqual([75, 75, 90, 90, 120, 120, 150, 150]);
  });

  it.each([
    [2, 75],
    [4, 90],
    [7, 120],
    [11, 150],
  ])('discover and create agree on %i guests staying %i minutes when no duration is given', async (partySize, minutes) => {
    const discovered = await ctx.get<DiscoverBody>(
      `/api/v1/woki/discover${qs({ ...WHERE, partySize, windowStart: '20:00', windowEnd: '23:00' })}`,
    );
    expect(discovered.status, discovered.text).toBe(200);
    expect(discovered.body.durationMinutes).toBe(minutes);
    const top = discovered.body.candidates[0]!;
    expect(elapsedMinutes(top.start, top.end)).toBe(minutes);

    const created = await ctx.post<BookingBody>('/api/v1/woki/bookings', { ...WHERE, partySize, windowStart: '20:00', windowEnd: '23:00' });
    expect(created.status, created.text).toBe(201);
    expect(created.body.durationMinutes).toBe(minutes);
    expect({ tableIds: created.body.tableIds, start: created.body.start, end: created.body.end }).toEqual({
      tableIds: top.tableIds,
      start: top.start,
      end: top.end,
    });
  });

  it('lets an explicit duration win over the rules', async () => {
    const discovered = await ctx.get<DiscoverBody>(
      `/api/v1/woki/discover${qs({ ...WHERE, partySize: 2, duration: 45, windowStart: '12:00', windowEnd: '14:00' })}`,
    );
    expect(discovered.body.durationMinutes).toBe(45);
  });

  it('asks for the duration where the restaurant has no rules', async () => {
    const reply = await ctx.get(`/api/v1/woki/discover${qs({ restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22', partySize: 2 })}`);
    expectError(reply, 400, 'invalid_input');
  });

  it('refuses rules off the grid or with a repeated upTo', async () => {
    const base = { name: 'Bad', timezone: 'Europe/Madrid' };
    expectError(
      await ctx.admin('/api/v1/admin/restaurants', {
        ...base,
        id: 'BAD1',
        durationRules: { rules: [{ upTo: 2, minutes: 70 }], otherwise: 90 },
      }),
      400,
      'invalid_input',
    );
    expectError(
      await ctx.admin('/api/v1/admin/restaurants', {
        ...base,
        id: 'BAD2',
        durationRules: {
          rules: [
            { upTo: 2, minutes: 60 },
            { upTo: 2, minutes: 90 },
          ],
          otherwise: 90,
        },
      }),
      400,
      'invalid_input',
    );
  });
});
