import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper } from '../../src/adapters/runtime/sweeper.js';
import { ADMIN_SECRET, expectError, qs, startServer, type BookingBody, type DiscoverBody, type TestServer } from '../support/server.js';

const clock = {
  at: Date.parse('2025-10-01T12:00:00Z'),
  now() {
    return this.at;
  },
};
const WHERE = { restaurantId: 'RH', sectorId: 'SH', date: '2025-10-22' };
const BIG_PARTY = { ...WHERE, partySize: 10, durationMinutes: 120, windowStart: '20:00', windowEnd: '22:00' };
const admin = { 'x-admin-secret': ADMIN_SECRET };

describe('large-group approval', () => {
  let ctx: TestServer;

  beforeAll(async () => {
    ctx = await startServer({ clock });
    const restaurant = await ctx.admin('/api/v1/admin/restaurants', {
      id: 'RH',
      name: 'Holds',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [{ start: '20:00', end: '23:45' }],
      largeGroups: { threshold: 8, holdMinutes: 30 },
    });
    expect(restaurant.status, restaurant.text).toBe(201);
    expect((await ctx.admin('/api/v1/admin/sectors', { id: 'SH', restaurantId: 'RH', name: 'Hall' })).status).toBe(201);
    // One 12-top: a held party keeps every other large party out.
    expect((await ctx.admin('/api/v1/admin/tables', { id: 'BIG', sectorId: 'SH', minSize: 6, maxSize: 12 })).status).toBe(201);
    expect((await ctx.admin('/api/v1/admin/tables', { id: 'TWO', sectorId: 'SH', minSize: 1, maxSize: 2 })).status).toBe(201);
  });

  afterAll(() => ctx.close());

  const bigTableFree = async () =>
    (await ctx.get<DiscoverBody>(`/api/v1/woki/discover${qs({ ...BIG_PARTY, duration: 120, durationMinutes: undefined })}`)).status === 200;

  it('holds a party at the threshold as PENDING, blocking its seats, while smaller parties confirm at once', async () => {
    const small = await ctx.post<BookingBody>('/api/v1/woki/bookings', { ...WHERE, partySize: 2, durationMinutes: 60 });
    expect(small.body.status).toBe('CONFIRMED');
    const held = await ctx.post<BookingBody & { holdExpiresAt: string }>('/api/v1/woki/bookings', BIG_PARTY);
    expect(held.status).toBe(201);
    expect(held.body.status).toBe('PENDING');
    expect(held.body.holdExpiresAt).toBe('2025-10-01T09:30:00.000-03:00');
    expect(await bigTableFree()).toBe(false);

    clock.at += 60_000;
    const approved = await ctx.request<BookingBody>('POST', `/api/v1/woki/bookings/${held.body.id}/approve`, { headers: admin });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('CONFIRMED');
    expect(Date.parse(approved.body.updatedAt)).toBeGreaterThan(Date.parse(held.body.updatedAt));
    expect(await bigTableFree()).toBe(false);
    expectError(await ctx.request('POST', `/api/v1/woki/bookings/${held.body.id}/approve`, { headers: admin }), 409, 'not_pending');
    expect((await ctx.del(`/api/v1/woki/bookings/${held.body.id}`)).status).toBe(204);
  });

  it('frees the seats at once when a hold is rejected', async () => {
    const held = await ctx.post<BookingBody>('/api/v1/woki/bookings', BIG_PARTY);
    expect(held.body.status).toBe('PENDING');
    const rejected = await ctx.request<BookingBody & { statusReason: string }>('POST', `/api/v1/woki/bookings/${held.body.id}/reject`, {
      headers: admin,
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'CANCELLED', statusReason: 'rejected' });
    expect(await bigTableFree()).toBe(true);
  });

  it('needs the admin secret to answer a hold', async () => {
    const held = await ctx.post<BookingBody>('/api/v1/woki/bookings', BIG_PARTY);
    expectError(await ctx.request('POST', `/api/v1/woki/bookings/${held.body.id}/approve`), 401, 'unauthorized');
    expectError(await ctx.request('POST', '/api/v1/woki/bookings/nope/approve', { headers: admin }), 404, 'not_found');
    await ctx.request('POST', `/api/v1/woki/bookings/${held.body.id}/reject`, { headers: admin });
  });

  it('expires a lapsed hold without any API call, once, and frees its seats', async () => {
    const held = await ctx.post<BookingBody>('/api/v1/woki/bookings', BIG_PARTY);
    expect(held.body.status).toBe('PENDING');
    clock.at += 31 * 60_000;
    // Two sweepers, as two processes would run: the store lets one expiry through.
    const sweepers = [startSweeper(ctx.app, 20), startSweeper(ctx.app, 20)];
    try {
      let booking = await ctx.deps.reads.booking(held.body.id);
      for (let tries = 0; booking?.value.status === 'PENDING' && tries < 200; tries++) {
        await sleep(10);
        booking = await ctx.deps.reads.booking(held.body.id);
      }
      expect(booking?.value).toMatchObject({ status: 'CANCELLED', statusReason: 'expired' });
      await sleep(100);
      const events = await ctx.deps.events.readStream(`booking-${held.body.id}`);
      expect(events.map((event) => event.type)).toEqual(['BookingHeld', 'HoldExpired']);
    } finally {
      sweepers.forEach((sweeper) => sweeper.stop());
    }
    expect(await bigTableFree()).toBe(true);
    expectError(await ctx.request('POST', `/api/v1/woki/bookings/${held.body.id}/approve`, { headers: admin }), 409, 'not_pending');
  });

  it('answers an approval that comes after the hold lapsed with 409, expiring it', async () => {
    const held = await ctx.post<BookingBody>('/api/v1/woki/bookings', BIG_PARTY);
    clock.at += 30 * 60_000;
    expectError(await ctx.request('POST', `/api/v1/woki/bookings/${held.body.id}/approve`, { headers: admin }), 409, 'not_pending');
    expect((await ctx.get<BookingBody & { statusReason: string }>(`/api/v1/woki/bookings/${held.body.id}`)).body).toMatchObject({
      status: 'CANCELLED',
      statusReason: 'expired',
    });
  });
});
