import { createCredentials } from '../../src/adapters/auth/credentials.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qs, type Reply } from '../support/server.js';
import {
  ADMIN,
  book,
  bookAsAdmin,
  bookingRequest,
  bookingToken,
  createUser,
  freshDate,
  GUEST,
  GUEST_FIELDS,
  issueKey,
  login,
  PASSWORD,
  R1,
  R2,
  signIn,
  startTenants,
  xApiKey,
  type ApiKeyBody,
  type CreatedBody,
  type Tenants,
  type UserBody,
} from './tenants.js';

/** The guest's contact data must not be in `reply`, neither as a field nor anywhere in its text. */
function expectNoGuestData(reply: Reply, what: string): void {
  const body = reply.body as Record<string, unknown>;
  for (const field of GUEST_FIELDS) expect(body, `${what}: ${field}`).not.toHaveProperty(field);
  for (const value of Object.values(GUEST)) expect(reply.text, what).not.toContain(value);
}

function expectGuestData(reply: Reply, what: string): void {
  expect(reply.body, what).toMatchObject(GUEST);
}

/**
 * OWASP API3:2023 Broken Object Property Level Authorization: answers carry
 * only the properties the caller may see (guest contact data, secrets), and
 * requests cannot set properties the caller may not (mass assignment).
 */
describe('OWASP API3:2023 Broken Object Property Level Authorization', () => {
  let t: Tenants;

  beforeAll(async () => {
    t = await startTenants();
  });
  afterAll(() => t.ctx.close());

  it("an anonymous create answer has the manage token but none of the guest's contact data; its idempotent replay neither", async () => {
    const body = bookingRequest(R1, GUEST);
    const created = await book(t.ctx, {}, body, { 'idempotency-key': 'anon-create-1' });
    expect(created.status, created.text).toBe(201);
    expectNoGuestData(created, 'anonymous create');
    expect(created.body.manageToken).toEqual(expect.any(String));

    const replay = await book(t.ctx, {}, body, { 'idempotency-key': 'anon-create-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expectNoGuestData(replay, 'anonymous replay');
    expect(replay.body.manageToken).toBe(created.body.manageToken);

    // The data was kept all the same: staff see it.
    const staff = await t.ctx.request('GET', `/api/v1/woki/bookings/${created.body.id}`, { headers: t.r1.host.headers });
    expectGuestData(staff, 'host read');
    expect(staff.body).not.toHaveProperty('manageToken');
  });

  it('an anonymous waitlist answer (202) carries no guest data either', async () => {
    const date = freshDate();
    const full = { ...R2, date, partySize: 2, durationMinutes: 120, windowStart: '20:00', windowEnd: '22:00' };
    expect((await book(t.ctx, ADMIN, full)).status).toBe(201);
    const entry = await book(t.ctx, {}, { ...full, ...GUEST, waitlist: true });
    expect(entry.status, entry.text).toBe(202);
    expectNoGuestData(entry, 'anonymous waitlist join');
    expect(entry.body.manageToken).toEqual(expect.any(String));
    const staff = await t.ctx.request('GET', `/api/v1/woki/waitlist/${entry.body.id}`, { headers: t.r2.host.headers });
    expect(staff.status).toBe(200);
    expectGuestData(staff, 'host read of the entry');
  });

  it('staff see guest data in create answers, reads and day lists; outsiders booking publicly get it stripped', async () => {
    const created = await book(t.ctx, t.r1.host.headers, bookingRequest(R1, GUEST));
    expect(created.status).toBe(201);
    expectGuestData(created, 'host create');
    const day = await t.ctx.request<{ items: CreatedBody[] }>('GET', `/api/v1/woki/bookings/day${qs({ ...R1, date: created.body.date })}`, {
      headers: t.r1.manager.headers,
    });
    expect(day.body.items.find((item) => item.id === created.body.id)).toMatchObject(GUEST);

    // An R2 owner books at R1 as anyone may (public booking): it has no standing at R1 to see guest data.
    const outsider = await book(t.ctx, t.r2.owner.headers, bookingRequest(R1, GUEST));
    expect(outsider.status).toBe(201);
    expectNoGuestData(outsider, 'R2 owner booking at R1');
  });

  it('an API key with bookings:write but not bookings:read gets no guest data in its create answer; with both it does', async () => {
    const writer = await issueKey(t.ctx, 'R1', ['bookings:write']);
    const created = await book(t.ctx, xApiKey(writer.key), bookingRequest(R1, GUEST));
    expect(created.status, created.text).toBe(201);
    expectNoGuestData(created, 'write-only key');
    expect(created.body.manageToken).toEqual(expect.any(String));
    // Nor may it read the booking back.
    expect((await t.ctx.request('GET', `/api/v1/woki/bookings/${created.body.id}`, { headers: xApiKey(writer.key) })).status).toBe(403);

    const readerWriter = await issueKey(t.ctx, 'R1', ['bookings:read', 'bookings:write']);
    const full = await book(t.ctx, xApiKey(readerWriter.key), bookingRequest(R1, GUEST));
    expectGuestData(full, 'read+write key');
    const reader = await issueKey(t.ctx, 'R1', ['bookings:read']);
    expectGuestData(await t.ctx.request('GET', `/api/v1/woki/bookings/${created.body.id}`, { headers: xApiKey(reader.key) }), 'read key');
  });

  it('user answers never carry a password or its hash: create, me, members', async () => {
    const password = 'a very private passphrase 42';
    const created = await t.ctx.request<UserBody>('POST', '/api/v1/admin/users', {
      body: { email: 'quiet@staff.example', password, name: 'Quiet' },
      headers: ADMIN,
    });
    expect(created.status, created.text).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['admin', 'createdAt', 'email', 'id', 'name']);
    const pair = await login(t.ctx, 'quiet@staff.example', password);
    expect(pair.status).toBe(200);
    expect(Object.keys(pair.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);
    expect(
      (await t.ctx.request('POST', '/api/v1/restaurants/R1/members', { body: { userId: created.body.id, role: 'host' }, headers: ADMIN }))
        .status,
    ).toBe(201);

    const answers = [
      created,
      pair,
      await t.ctx.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${pair.body.accessToken}` } }),
      await t.ctx.request('GET', '/api/v1/restaurants/R1/members', { headers: t.r1.owner.headers }),
    ];
    for (const reply of answers) {
      expect(reply.status).toBeLessThan(300);
      expect(reply.text).not.toContain(password);
      expect(reply.text).not.toMatch(/password|scrypt\$/i);
    }
  });

  it('API key listings never carry the key, nor its hash; only the create answer shows the key, once', async () => {
    const created = await t.ctx.request<ApiKeyBody>('POST', '/api/v1/restaurants/R1/api-keys', {
      body: { name: 'booking widget', scopes: ['bookings:write', 'availability:read'] },
      headers: t.r1.owner.headers,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.key).toMatch(/^wbk_[A-Za-z0-9_-]{32,}$/);
    // An answer that carries a secret is never cached.
    expect(created.headers.get('cache-control')).toBe('no-store');
    const digest = createCredentials({ signingKey: Buffer.alloc(32), adminSecret: 'unused-secret' }).digest(created.body.key);

    const listed = await t.ctx.request<{ items: Record<string, unknown>[] }>('GET', '/api/v1/restaurants/R1/api-keys', {
      headers: t.r1.owner.headers,
    });
    expect(listed.status).toBe(200);
    const item = listed.body.items.find((entry) => entry.id === created.body.id);
    expect(item).toMatchObject({ name: 'booking widget', scopes: ['availability:read', 'bookings:write'], restaurantId: 'R1' });
    for (const entry of listed.body.items) {
      expect(Object.keys(entry).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'restaurantId', 'revokedAt', 'scopes']);
    }
    expect(listed.text).not.toContain(created.body.key);
    expect(listed.text).not.toContain(created.body.key.slice(4, 20));
    expect(listed.text).not.toContain(digest);
    expect(listed.text).not.toMatch(/keyHash|"key"/);
  });

  it('POST /admin/users ignores properties a caller may not set: passwordHash, id, createdAt', async () => {
    const credentials = createCredentials({ signingKey: Buffer.alloc(32), adminSecret: 'unused-secret' });
    const injectedPassword = 'attacker chosen password';
    const injected = await credentials.hashPassword(injectedPassword);
    const created = await t.ctx.request<UserBody>('POST', '/api/v1/admin/users', {
      body: {
        email: 'massassign@staff.example',
        password: PASSWORD,
        name: 'Mass Assign',
        passwordHash: injected,
        id: 'chosen-user-id',
        createdAt: '2000-01-01T00:00:00.000Z',
        roles: { R1: 'owner' },
      },
      headers: ADMIN,
    });
    // Refusing the unknown properties (400) would do as well; accepting them must not apply them.
    expect([201, 400], created.text).toContain(created.status);
    if (created.status === 400) return;
    expect(created.body.id).not.toBe('chosen-user-id');
    expect(created.body.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    expect(created.body.admin).toBe(false);
    expect((await login(t.ctx, 'massassign@staff.example', injectedPassword)).status).toBe(401);
    const { accessToken } = await signIn(t.ctx, 'massassign@staff.example');
    const me = await t.ctx.request<{ principal: string; roles: unknown[] }>('GET', '/api/v1/auth/me', {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.body).toMatchObject({ principal: 'user', roles: [] });
  });

  it('members and API keys take their restaurant from the path, never from the body', async () => {
    const user = await createUser(t.ctx, 'pathbound');
    const member = await t.ctx.request('POST', '/api/v1/restaurants/R1/members', {
      body: { userId: user.id, role: 'host', restaurantId: 'R2' },
      headers: t.r1.owner.headers,
    });
    expect(member.status, member.text).toBe(201);
    expect(member.body).toMatchObject({ restaurantId: 'R1', role: 'host' });
    const r2Members = await t.ctx.request<{ items: { userId: string }[] }>('GET', '/api/v1/restaurants/R2/members', { headers: ADMIN });
    expect(r2Members.body.items.map((m) => m.userId)).not.toContain(user.id);

    const key = await t.ctx.request<ApiKeyBody>('POST', '/api/v1/restaurants/R1/api-keys', {
      body: { name: 'sneaky', scopes: ['bookings:read'], restaurantId: 'R2', revokedAt: null, keyHash: 'x' },
      headers: t.r1.owner.headers,
    });
    expect(key.status).toBe(201);
    expect(key.body.restaurantId).toBe('R1');
    const r2Booking = await bookAsAdmin(t.ctx, R2);
    expect((await t.ctx.request('GET', `/api/v1/woki/bookings/${r2Booking.id}`, { headers: xApiKey(key.body.key) })).status).toBe(404);
    // Unknown scopes are refused rather than stored.
    expect(
      (
        await t.ctx.request('POST', '/api/v1/restaurants/R1/api-keys', {
          body: { name: 'x', scopes: ['admin'] },
          headers: t.r1.owner.headers,
        })
      ).status,
    ).toBe(400);
  });

  it('a booking create ignores server-owned properties: id, status, timestamps, manage token', async () => {
    const created = await book(
      t.ctx,
      {},
      bookingRequest(R1, {
        id: 'chosen-booking-id',
        status: 'CANCELLED',
        tableIds: ['T4'],
        createdAt: '2000-01-01T00:00:00.000Z',
        manageToken: 'chosen-token',
      }),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.id).not.toBe('chosen-booking-id');
    expect(created.body.status).toBe('CONFIRMED');
    expect(created.body.manageToken).not.toBe('chosen-token');
    expect((await t.ctx.request('GET', `/api/v1/woki/bookings/${created.body.id}`, { headers: bookingToken('chosen-token') })).status).toBe(
      401,
    );
  });
});
