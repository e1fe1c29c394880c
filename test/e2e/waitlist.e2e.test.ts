import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper } from '../../src/adapters/runtime/sweeper.js';
import { ADMIN_SECRET, DEMO, eventually, expectError, startServer, type BookingBody, type TestServer } from '../support/server.js';

interface EntryBody {
  id: string;
  status: 'WAITING' | 'BOOKED' | 'LEFT';
  bookingId?: string;
  partySize: number;
}

/** A sector with one table: 20:00–21:00 leaves room for exactly one party. */
const ONE_TABLE = { restaurantId: 'RW', sectorId: 'SW', date: '2025-10-22' };
/**
 * Weeks before the dates booked (entries for service days gone by are never tried
 * again), one millisecond on at every reading, so that entries joined one after
 * the other keep that order (`createdAt`) as they would on a real clock.
 */
let instant = Date.parse('2025-10-01T12:00:00Z');
const clock = { now: () => ++instant };
const SIX_AT_EIGHT = { ...ONE_TABLE, partySize: 6, durationMinutes: 60, windowStart: '20:00', windowEnd: '21:00' };

describe('waitlist with auto-promotion', () => {
  let ctx: TestServer;

  beforeAll(async () => {
    ctx = await startServer({ seed: true, clock });
    expect(
      (await ctx.admin('/api/v1/admin/restaurants', { id: 'RW', name: 'One table', timezone: 'America/Argentina/Buenos_Aires' })).status,
    ).toBe(201);
    expect((await ctx.admin('/api/v1/admin/sectors', { id: 'SW', restaurantId: 'RW', name: 'Nook' })).status).toBe(201);
    expect((await ctx.admin('/api/v1/admin/tables', { id: 'A', sectorId: 'SW', minSize: 2, maxSize: 6 })).status).toBe(201);
  });
  afterAll(() => ctx.close());

  /** Promotion reacts to the committed log, a moment after the write that freed the seats. */
  const statusOnceSettled = async (id: string, expected: EntryBody['status']) => {
    await eventually(async () => (await ctx.get<EntryBody>(`/api/v1/woki/waitlist/${id}`)).body.status, expected);
    return ctx.get<EntryBody>(`/api/v1/woki/waitlist/${id}`);
  };

  it('joins the waitlist instead of 409 when asked, and books the earliest entry that fits once a cancel frees seats', async () => {
    const first = await ctx.post<BookingBody>('/api/v1/woki/bookings', SIX_AT_EIGHT);
    expect(first.status).toBe(201);
    expectError(await ctx.post('/api/v1/woki/bookings', SIX_AT_EIGHT), 409, 'no_capacity');

    const early = await ctx.post<EntryBody>('/api/v1/woki/bookings', { ...SIX_AT_EIGHT, waitlist: true, guestName: 'Early' });
    expect(early.status, early.text).toBe(202);
    expect(early.body).toMatchObject({ status: 'WAITING', partySize: 6 });
    const later = await ctx.post<EntryBody>('/api/v1/woki/bookings', { ...SIX_AT_EIGHT, waitlist: true, guestName: 'Later' });
    expect(later.status).toBe(202);

    expect((await ctx.del(`/api/v1/woki/bookings/${first.body.id}`)).status).toBe(204);
    const promoted = await statusOnceSettled(early.body.id, 'BOOKED');
    expect(promoted.body.status).toBe('BOOKED');
    const booking = await ctx.get<BookingBody>(`/api/v1/woki/bookings/${promoted.body.bookingId}`);
    expect(booking.body).toMatchObject({
      status: 'CONFIRMED',
      tableIds: ['A'],
      partySize: 6,
      guestName: 'Early',
      start: '2025-10-22T20:00:00-03:00',
    });
    expect((await ctx.get<EntryBody>(`/api/v1/woki/waitlist/${later.body.id}`)).body.status).toBe('WAITING');
  });

  it('skips an entry that still does not fit and books a later one that does', async () => {
    // T1 and T5 hold parties of two; fill both at 12:00, then queue a party of 9 (cannot fit) before a party of 2.
    const twos = { ...DEMO, partySize: 2, durationMinutes: 60, windowStart: '12:00', windowEnd: '13:00' };
    const a = await ctx.post<BookingBody>('/api/v1/woki/bookings', twos);
    const b = await ctx.post<BookingBody>('/api/v1/woki/bookings', twos);
    const c = await ctx.post<BookingBody>('/api/v1/woki/bookings', twos);
    const d = await ctx.post<BookingBody>('/api/v1/woki/bookings', twos);
    expect([a, b, c, d].map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const big = await ctx.post<EntryBody>('/api/v1/woki/bookings', { ...twos, partySize: 16, waitlist: true });
    const small = await ctx.post<EntryBody>('/api/v1/woki/bookings', { ...twos, waitlist: true });
    expect([big.status, small.status]).toEqual([202, 202]);
    expect((await ctx.del(`/api/v1/woki/bookings/${a.body.id}`)).status).toBe(204);
    expect((await statusOnceSettled(small.body.id, 'BOOKED')).body.status).toBe('BOOKED');
    expect((await ctx.get<EntryBody>(`/api/v1/woki/waitlist/${big.body.id}`)).body.status).toBe('WAITING');
    expect(
      (await ctx.request('DELETE', `/api/v1/woki/waitlist/${big.body.id}`, { headers: { 'x-admin-secret': ADMIN_SECRET } })).status,
    ).toBe(204);
    expect(
      (await ctx.request('DELETE', `/api/v1/woki/waitlist/${big.body.id}`, { headers: { 'x-admin-secret': ADMIN_SECRET } })).status,
    ).toBe(204);
    expect((await ctx.get<EntryBody>(`/api/v1/woki/waitlist/${big.body.id}`)).body.status).toBe('LEFT');
  });

  it('promotes when a blackout is lifted, when seats are freed behind the API, and from the sweeper', async () => {
    const admin = { 'x-admin-secret': ADMIN_SECRET };
    const placed = await ctx.request('POST', '/api/v1/woki/blackouts', {
      body: { id: 'XW', ...ONE_TABLE, start: '2025-10-22T14:00:00-03:00', end: '2025-10-22T16:00:00-03:00' },
      headers: admin,
    });
    expect(placed.status, placed.text).toBe(201);
    const request = { ...ONE_TABLE, partySize: 4, durationMinutes: 120, windowStart: '14:00', windowEnd: '16:00', waitlist: true };
    const entry = await ctx.post<EntryBody>('/api/v1/woki/bookings', request);
    expect(entry.status).toBe(202);
    expect((await ctx.request('DELETE', '/api/v1/woki/blackouts/XW', { headers: admin })).status).toBe(204);
    const booked = await statusOnceSettled(entry.body.id, 'BOOKED');
    expect(booked.body.status).toBe('BOOKED');

    // Seats freed behind the API's back, straight in the store: the reaction to the log still sees it.
    const cancelInStore = async (bookingId: string) => {
      const holder = (await ctx.deps.reads.booking(bookingId))!;
      await ctx.deps.events.append(
        [
          {
            stream: `booking-${holder.value.id}`,
            expectedVersion: holder.version,
            event: { type: 'BookingCancelled', data: { bookingId: holder.value.id, at: Date.now() } },
          },
        ],
        { actor: 'test' },
        Date.now(),
      );
    };
    const behind = await ctx.post<EntryBody>('/api/v1/woki/bookings', { ...request, partySize: 3 });
    expect(behind.status).toBe(202);
    await cancelInStore(booked.body.bookingId!);
    const promotedBehind = await statusOnceSettled(behind.body.id, 'BOOKED');
    expect(promotedBehind.body.status).toBe('BOOKED');

    // With the reactions stopped, only the sweeper can notice.
    await ctx.reactions.stop();
    const queued = await ctx.post<EntryBody>('/api/v1/woki/bookings', { ...request, partySize: 3 });
    expect(queued.status).toBe(202);
    await cancelInStore(promotedBehind.body.bookingId!);
    await sleep(50);
    expect((await ctx.deps.reads.waitlistEntry(queued.body.id))!.value.status).toBe('WAITING');
    const sweeper = startSweeper(ctx.app, 20);
    try {
      let status = 'WAITING';
      for (let tries = 0; status === 'WAITING' && tries < 200; tries++) {
        await sleep(10);
        status = (await ctx.deps.reads.waitlistEntry(queued.body.id))!.value.status;
      }
      expect(status).toBe('BOOKED');
    } finally {
      sweeper.stop();
    }
  });

  it('answers 404 for an unknown entry', async () => {
    expectError(await ctx.get('/api/v1/woki/waitlist/nope'), 404, 'not_found');
  });
});
