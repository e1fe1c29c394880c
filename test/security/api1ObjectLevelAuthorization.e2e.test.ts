import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qs, startServer, type BookingBody, type Reply } from '../support/server.js';
import {
  ADMIN,
  ALL_SCOPES,
  book,
  bookAsAdmin,
  bookingRequest,
  bookingToken,
  bearer,
  freshDate,
  issueKey,
  R1,
  R2,
  startTenants,
  staffMember,
  withoutIds,
  xApiKey,
  type CreatedBody,
  type Tenants,
} from './tenants.js';

/**
 * OWASP API1:2023 Broken Object Level Authorization. Every object belongs to a
 * restaurant; whoever has no standing there must not read, change or even
 * detect it (SPEC §5: 404, not 403, so that ids cannot be probed).
 */
describe('OWASP API1:2023 Broken Object Level Authorization', () => {
  let t: Tenants;
  /** A confirmed booking of R2, with guest data. */
  let r2Booking: CreatedBody;

  beforeAll(async () => {
    t = await startTenants();
    r2Booking = await bookAsAdmin(t.ctx, R2);
  });
  afterAll(() => t.ctx.close());

  const getBooking = (id: string, headers: Record<string, string>) =>
    t.ctx.request<BookingBody>('GET', `/api/v1/woki/bookings/${id}`, { headers });
  const cancel = (id: string, headers: Record<string, string>) => t.ctx.request('DELETE', `/api/v1/woki/bookings/${id}`, { headers });
  const statusOf = async (id: string) => (await getBooking(id, ADMIN)).body.status;

  /** The 404 an outsider gets for a real object must be indistinguishable from the one for an id that never existed. */
  function expectSameAsMissing(reply: Reply, missing: Reply, realId: string, missingId: string): void {
    expect(reply.status, reply.text).toBe(404);
    expect(missing.status, missing.text).toBe(404);
    expect(withoutIds(reply.body, [realId]), 'the refusal must not tell a real id from a made-up one').toEqual(
      withoutIds(missing.body, [missingId]),
    );
    // Nor name the restaurant that owns the object.
    expect(reply.text).not.toContain(r2Booking.restaurantId);
    expect(reply.text).not.toContain(r2Booking.guestName);
  }

  it.each(['owner', 'manager', 'host'] as const)(
    'an R1 %s gets 404 reading or cancelling an R2 booking, as for an id that does not exist',
    async (role) => {
      const staff = t.r1[role];
      const read = await getBooking(r2Booking.id, staff.headers);
      const readMissing = await getBooking('NO-SUCH-BOOKING', staff.headers);
      expect(read.status).toBe(404);
      expect(read.body).toMatchObject({ error: 'not_found' });
      const cancelled = await cancel(r2Booking.id, staff.headers);
      const cancelledMissing = await cancel('NO-SUCH-BOOKING', staff.headers);
      expect(cancelled.status).toBe(404);
      const history = await t.ctx.request('GET', `/api/v1/woki/bookings/${r2Booking.id}/history`, { headers: staff.headers });
      expect(history.status).toBe(404);
      expect(await statusOf(r2Booking.id)).toBe('CONFIRMED');
      expectSameAsMissing(read, readMissing, r2Booking.id, 'NO-SUCH-BOOKING');
      expectSameAsMissing(cancelled, cancelledMissing, r2Booking.id, 'NO-SUCH-BOOKING');
    },
  );

  it("R1 staff get 404 for R2's day list, its blackouts and its sector's repack; R2's own host reads its day", async () => {
    const day = qs({ ...R2, date: r2Booking.date });
    for (const staff of [t.r1.owner, t.r1.manager, t.r1.host]) {
      expect((await t.ctx.request('GET', `/api/v1/woki/bookings/day${day}`, { headers: staff.headers })).status).toBe(404);
      expect((await t.ctx.request('GET', `/api/v1/woki/blackouts${day}`, { headers: staff.headers })).status).toBe(404);
    }
    const repack = await t.ctx.request('POST', `/api/v1/woki/sectors/S2/repack${qs({ date: r2Booking.date, dryRun: 'true' })}`, {
      headers: t.r1.owner.headers,
    });
    const repackMissing = await t.ctx.request(
      'POST',
      `/api/v1/woki/sectors/NO-SUCH-SECTOR/repack${qs({ date: r2Booking.date, dryRun: 'true' })}`,
      {
        headers: t.r1.owner.headers,
      },
    );
    expect(repack.status).toBe(404);
    expect(withoutIds(repack.body, ['S2'])).toEqual(withoutIds(repackMissing.body, ['NO-SUCH-SECTOR']));
    const own = await t.ctx.request<{ items: BookingBody[] }>('GET', `/api/v1/woki/bookings/day${day}`, { headers: t.r2.host.headers });
    expect(own.status, own.text).toBe(200);
    expect(own.body.items.map((b) => b.id)).toContain(r2Booking.id);
  });

  it("an R1 owner cannot touch R2's members or API keys (404), nor add a table to R2's sector", async () => {
    const owner = t.r1.owner.headers;
    expect((await t.ctx.request('GET', '/api/v1/restaurants/R2/members', { headers: owner })).status).toBe(404);
    expect(
      (await t.ctx.request('POST', '/api/v1/restaurants/R2/members', { body: { userId: t.r1.host.id, role: 'owner' }, headers: owner }))
        .status,
    ).toBe(404);
    expect((await t.ctx.request('DELETE', `/api/v1/restaurants/R2/members/${t.r2.host.id}`, { headers: owner })).status).toBe(404);
    expect((await t.ctx.request('GET', '/api/v1/restaurants/R2/api-keys', { headers: owner })).status).toBe(404);
    expect(
      (await t.ctx.request('POST', '/api/v1/restaurants/R2/api-keys', { body: { name: 'x', scopes: ALL_SCOPES }, headers: owner })).status,
    ).toBe(404);
    expect(
      (await t.ctx.request('POST', '/api/v1/admin/tables', { body: { id: 'TX1', sectorId: 'S2', minSize: 1, maxSize: 2 }, headers: owner }))
        .status,
    ).toBe(404);
    // The R2 host still has its role, and the table does not exist.
    expect((await t.ctx.request('GET', `/api/v1/woki/bookings/${r2Booking.id}`, { headers: t.r2.host.headers })).status).toBe(200);
    const members = await t.ctx.request<{ items: { userId: string; role: string }[] }>('GET', '/api/v1/restaurants/R2/members', {
      headers: ADMIN,
    });
    expect(members.body.items.find((m) => m.userId === t.r2.host.id)?.role).toBe('host');
    expect(members.body.items.map((m) => m.userId)).not.toContain(t.r1.host.id);
  });

  it("R1 staff get 404 for R2's blackouts and holds, as for ids that do not exist, and change nothing", async () => {
    const date = freshDate();
    const placed = await t.ctx.request<{ id: string; status: string }>('POST', '/api/v1/woki/blackouts', {
      body: { id: 'R2-BLACKOUT', ...R2, tableIds: ['T21'], start: `${date}T15:00:00-03:00`, end: `${date}T16:00:00-03:00` },
      headers: ADMIN,
    });
    expect(placed.status, placed.text).toBe(201);
    const held = await book(t.ctx, ADMIN, bookingRequest(R2, { partySize: 6 }));
    expect(held.body.status).toBe('PENDING');
    const manager = t.r1.manager.headers;
    const resize = { start: `${date}T14:00:00-03:00`, end: `${date}T16:00:00-03:00` };
    const pairs: [Reply, Reply, string, string][] = [
      [
        await t.ctx.request('PATCH', '/api/v1/woki/blackouts/R2-BLACKOUT', { body: resize, headers: manager }),
        await t.ctx.request('PATCH', '/api/v1/woki/blackouts/NO-SUCH-BLACKOUT', { body: resize, headers: manager }),
        'R2-BLACKOUT',
        'NO-SUCH-BLACKOUT',
      ],
      [
        await t.ctx.request('DELETE', '/api/v1/woki/blackouts/R2-BLACKOUT', { headers: manager }),
        await t.ctx.request('DELETE', '/api/v1/woki/blackouts/NO-SUCH-BLACKOUT', { headers: manager }),
        'R2-BLACKOUT',
        'NO-SUCH-BLACKOUT',
      ],
      [
        await t.ctx.request('POST', `/api/v1/woki/bookings/${held.body.id}/approve`, { headers: t.r1.host.headers }),
        await t.ctx.request('POST', '/api/v1/woki/bookings/NO-SUCH-BOOKING/approve', { headers: t.r1.host.headers }),
        held.body.id,
        'NO-SUCH-BOOKING',
      ],
      [
        await t.ctx.request('POST', `/api/v1/woki/bookings/${held.body.id}/reject`, { headers: t.r1.host.headers }),
        await t.ctx.request('POST', '/api/v1/woki/bookings/NO-SUCH-BOOKING/reject', { headers: t.r1.host.headers }),
        held.body.id,
        'NO-SUCH-BOOKING',
      ],
    ];
    for (const [reply, missing, realId, missingId] of pairs) {
      expect(reply.status, reply.text).toBe(404);
      expect(withoutIds(reply.body, [realId])).toEqual(withoutIds(missing.body, [missingId]));
    }
    const listed = await t.ctx.request<{ items: { id: string; status: string; start: string }[] }>(
      'GET',
      `/api/v1/woki/blackouts${qs({ ...R2, date })}`,
      { headers: ADMIN },
    );
    expect(listed.body.items.find((item) => item.id === 'R2-BLACKOUT')).toMatchObject({
      status: 'ACTIVE',
      start: `${date}T15:00:00-03:00`,
    });
    expect(await statusOf(held.body.id)).toBe('PENDING');
  });

  it('an R1 API key, whatever its scopes, gets 404 on R2 objects; on R1 it works', async () => {
    const key = await issueKey(t.ctx, 'R1', ALL_SCOPES);
    for (const headers of [xApiKey(key.key), bearer(key.key)]) {
      const read = await getBooking(r2Booking.id, headers);
      expect(read.status, read.text).toBe(404);
      expect(withoutIds(read.body, [r2Booking.id])).toEqual(
        withoutIds((await getBooking('NO-SUCH-BOOKING', headers)).body, ['NO-SUCH-BOOKING']),
      );
      expect((await cancel(r2Booking.id, headers)).status).toBe(404);
      expect((await t.ctx.request('GET', `/api/v1/woki/bookings/day${qs({ ...R2, date: r2Booking.date })}`, { headers })).status).toBe(404);
      expect((await t.ctx.request('POST', `/api/v1/woki/bookings/${r2Booking.id}/approve`, { headers })).status).toBe(404);
      expect((await getBooking('B1', headers)).status).toBe(200);
    }
    expect(await statusOf(r2Booking.id)).toBe('CONFIRMED');
  });

  it('a manage token opens its own booking only: read and cancel; never another booking, nor lists', async () => {
    const a = await book(t.ctx, {}, bookingRequest(R1, { guestName: 'Guest A' }));
    const b = await book(t.ctx, {}, bookingRequest(R1, { guestName: 'Guest B' }));
    expect([a.status, b.status]).toEqual([201, 201]);
    const tokenA = bookingToken(a.body.manageToken!);
    expect(a.body.manageToken).not.toBe(b.body.manageToken);

    // Booking B with A's token: refused, and nothing of B is shown.
    const readB = await getBooking(b.body.id, tokenA);
    expect([401, 403, 404]).toContain(readB.status);
    expect(readB.text).not.toContain('Guest B');
    expect([401, 403, 404]).toContain((await cancel(b.body.id, tokenA)).status);
    expect(await statusOf(b.body.id)).toBe('CONFIRMED');
    // Nor a booking of another restaurant, nor the day list, nor the history of its own booking.
    expect([401, 403, 404]).toContain((await getBooking(r2Booking.id, tokenA)).status);
    expect((await t.ctx.request('GET', `/api/v1/woki/bookings/day${qs({ ...R1, date: a.body.date })}`, { headers: tokenA })).status).toBe(
      401,
    );
    expect([401, 403]).toContain((await t.ctx.request('GET', `/api/v1/woki/bookings/${a.body.id}/history`, { headers: tokenA })).status);
    // A token forged from another one, or borrowed from a different kind of object, opens nothing.
    const forged = a.body.manageToken!.slice(0, -2) + (a.body.manageToken!.endsWith('AA') ? 'BB' : 'AA');
    expect((await getBooking(a.body.id, bookingToken(forged))).status).toBe(401);
    expect((await t.ctx.request('GET', `/api/v1/woki/waitlist/${a.body.id}`, { headers: tokenA })).status).toBe(401);

    // Its own booking: read (with the guest's own data) and cancel.
    const readA = await getBooking(a.body.id, tokenA);
    expect(readA.status, readA.text).toBe(200);
    expect(readA.body).toMatchObject({ id: a.body.id, guestName: 'Guest A', status: 'CONFIRMED' });
    expect((await cancel(a.body.id, tokenA)).status).toBe(204);
    expect(await statusOf(a.body.id)).toBe('CANCELLED');
    expect((await getBooking(a.body.id, tokenA)).body.status).toBe('CANCELLED');
  });

  it("a waitlist entry's manage token opens that entry only", async () => {
    const date = freshDate();
    const full = { ...R2, date, partySize: 2, durationMinutes: 120, windowStart: '20:00', windowEnd: '22:00' };
    expect((await book(t.ctx, ADMIN, full)).status).toBe(201);
    const entry = await book(t.ctx, {}, { ...full, waitlist: true, guestName: 'Waiting Guest' });
    const other = await book(t.ctx, {}, { ...full, waitlist: true });
    expect([entry.status, other.status], entry.text).toEqual([202, 202]);
    const token = bookingToken(entry.body.manageToken!);
    const path = (id: string) => `/api/v1/woki/waitlist/${id}`;

    expect((await t.ctx.request('GET', path(entry.body.id), {})).status).toBe(401);
    expect([401, 403, 404]).toContain((await t.ctx.request('GET', path(other.body.id), { headers: token })).status);
    expect([401, 403, 404]).toContain((await t.ctx.request('DELETE', path(other.body.id), { headers: token })).status);
    expect((await t.ctx.request<{ status: string }>('GET', path(other.body.id), { headers: ADMIN })).body.status).toBe('WAITING');
    // An R1 host has no standing in R2.
    expect((await t.ctx.request('GET', path(entry.body.id), { headers: t.r1.host.headers })).status).toBe(404);

    const own = await t.ctx.request<{ status: string }>('GET', path(entry.body.id), { headers: token });
    expect(own.status, own.text).toBe(200);
    expect(own.body.status).toBe('WAITING');
    expect((await t.ctx.request('DELETE', path(entry.body.id), { headers: token })).status).toBe(204);
    expect((await t.ctx.request<{ status: string }>('GET', path(entry.body.id), { headers: ADMIN })).body.status).toBe('LEFT');
  });

  it('anonymous callers get 401 for reading or cancelling a booking and for day lists, whether or not the id exists', async () => {
    for (const id of [r2Booking.id, 'B1', 'NO-SUCH-BOOKING']) {
      const read = await getBooking(id, {});
      expect(read.status, id).toBe(401);
      expect(read.body).toMatchObject({ error: 'unauthorized' });
      expect((await cancel(id, {})).status, id).toBe(401);
      expect((await t.ctx.request('GET', `/api/v1/woki/bookings/${id}/history`, {})).status, id).toBe(401);
    }
    // The answer is the same for a real id and a made-up one.
    expect((await getBooking('B1', {})).body).toEqual((await getBooking('NO-SUCH-BOOKING', {})).body);
    for (const path of ['/api/v1/woki/bookings/day', '/woki/bookings/day', '/api/v1/woki/bookings']) {
      expect((await t.ctx.request('GET', `${path}${qs({ ...R1, date: '2025-10-22' })}`, {})).status, path).toBe(401);
    }
    expect(await statusOf('B1')).toBe('CONFIRMED');
    expect(await statusOf(r2Booking.id)).toBe('CONFIRMED');
  });

  it('a restaurant without public booking: anonymous callers get 401, outsiders 404, its own host and keys get in', async () => {
    const steps: [string, Record<string, unknown>][] = [
      [
        '/api/v1/admin/restaurants',
        { id: 'R3', name: 'Private Club', timezone: 'UTC', windows: [{ start: '12:00', end: '23:00' }], publicBooking: false },
      ],
      ['/api/v1/admin/sectors', { id: 'S3', restaurantId: 'R3', name: 'Salon' }],
      ['/api/v1/admin/tables', { id: 'T31', sectorId: 'S3', minSize: 1, maxSize: 4 }],
    ];
    for (const [path, body] of steps) expect((await t.ctx.request('POST', path, { body, headers: ADMIN })).status).toBe(201);
    const where = { restaurantId: 'R3', sectorId: 'S3' };
    const date = freshDate();
    const discover = (headers: Record<string, string>) =>
      t.ctx.request('GET', `/api/v1/woki/discover${qs({ ...where, date, partySize: 2, duration: 60 })}`, { headers });

    expect((await discover({})).status).toBe(401);
    expect((await book(t.ctx, {}, bookingRequest(where))).status).toBe(401);
    expect((await discover(t.r1.owner.headers)).status).toBe(404);
    expect((await book(t.ctx, t.r1.owner.headers, bookingRequest(where))).status).toBe(404);
    // A key of R1, even with every scope, is an outsider here too.
    const r1Key = await issueKey(t.ctx, 'R1', ALL_SCOPES);
    expect((await discover(xApiKey(r1Key.key))).status).toBe(404);

    const host = await staffMember(t.ctx, 'R3', 'host');
    expect((await discover(host.headers)).status).toBe(200);
    expect((await book(t.ctx, host.headers, bookingRequest(where))).status).toBe(201);
    const key = await issueKey(t.ctx, 'R3', ['availability:read']);
    expect((await discover(xApiKey(key.key))).status).toBe(200);
    expect((await book(t.ctx, xApiKey(key.key), bookingRequest(where))).status).toBe(403);
    // R3's host is an outsider in R2, except where R2 takes public bookings.
    expect((await getBooking(r2Booking.id, host.headers)).status).toBe(404);
  });
});

describe('OWASP API1:2023 Broken Object Level Authorization: idempotent replays', () => {
  it("another anonymous client sending the same Idempotency-Key and body gets neither the first client's booking nor its manage token", async () => {
    // Two clients behind a trusted proxy, told apart by X-Forwarded-For (as the rate limits tell them apart).
    const ctx = await startServer({ seed: true, protection: { trustProxy: true } });
    try {
      const alice = { 'x-forwarded-for': '203.0.113.7', 'idempotency-key': 'order-1001' };
      const mallory = { 'x-forwarded-for': '198.51.100.9', 'idempotency-key': 'order-1001' };
      const body = bookingRequest(R1);
      const first = await book(ctx, alice, body);
      expect(first.status, first.text).toBe(201);
      // Alice's own retry is a replay, with her token.
      const retry = await book(ctx, alice, body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.manageToken).toBe(first.body.manageToken);

      // Mallory guesses the key (order numbers, timestamps, …) and the body (no guest data in it).
      const stolen = await book(ctx, mallory, body);
      expect(stolen.body.manageToken, 'a manage token handed to another client').not.toBe(first.body.manageToken);
      expect(stolen.body.id).not.toBe(first.body.id);
      expect(stolen.headers.get('idempotent-replayed')).toBeNull();
    } finally {
      await ctx.close();
    }
  });
});
