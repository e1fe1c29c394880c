import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralCredentials } from '../../src/adapters/auth/credentials.js';
import { DEFAULT_PROTECTION } from '../../src/adapters/http/abuse.js';
import { buildHttpServer } from '../../src/adapters/http/server.js';
import { composeInMemory } from '../../src/compose.js';
import { ADMIN_SECRET } from '../support/server.js';

/** Values no log line may ever contain. */
const GUEST = {
  guestName: 'Zenobia Quillfeather',
  guestEmail: 'zenobia.quillfeather@guest-mail.example',
  guestPhone: '+54 11 7777-3141',
  notes: 'shellfish allergy; proposing at dessert',
};
const PASSWORD = 'staff password never logged';
const STAFF_EMAIL = 'logged.staff@staff.example';

/**
 * SPEC §5: guest contact fields never appear in logs. Every request below
 * carries guest data (or a credential) through a server whose pino output,
 * at trace level, is captured; then the capture is searched for the values.
 */
describe('guest data and credentials never reach the logs (OWASP API3 / API8)', () => {
  const lines: string[] = [];
  let server: FastifyInstance;
  let base = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((line) => line.length > 0),
        );
        done();
      },
    });
    const logger = pino({ level: 'trace' }, sink);
    const { app, store } = composeInMemory({ credentials: ephemeralCredentials(ADMIN_SECRET) });
    server = await buildHttpServer({
      app,
      store,
      logger,
      version: 'test',
      protection: { ...DEFAULT_PROTECTION, rateLimits: { anonymousMax: 1e6, authenticatedMax: 1e6, createMax: 1e6, loginMax: 1e6 } },
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it('creates, waitlist joins, refusals and reads with guest data leave none of it in the logs', async () => {
    const admin = { 'x-admin-secret': ADMIN_SECRET };
    expect((await send('POST', '/api/v1/admin/seed', undefined, admin)).status).toBe(201);
    const where = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22', durationMinutes: 90 };

    // Anonymous and staff creates, with every guest field.
    const anonymous = await send(
      'POST',
      '/api/v1/woki/bookings',
      { ...where, partySize: 2, ...GUEST },
      { 'idempotency-key': 'log-test-1' },
    );
    expect(anonymous.status).toBe(201);
    expect(
      (await send('POST', '/api/v1/woki/bookings', { ...where, partySize: 2, ...GUEST }, { 'idempotency-key': 'log-test-1' })).status,
    ).toBe(201);
    const staff = await send('POST', '/api/v1/woki/bookings', { ...where, partySize: 2, ...GUEST }, admin);
    expect(staff.status).toBe(201);
    // A large party takes the tables; the next one is refused, then waits, bad input beside the guest data, a key reused with other data.
    const bigParty = { ...where, partySize: 9, windowStart: '20:00', windowEnd: '21:30', ...GUEST };
    expect((await send('POST', '/api/v1/woki/bookings', bigParty)).status).toBe(201);
    expect((await send('POST', '/api/v1/woki/bookings', bigParty)).status).toBe(409);
    expect((await send('POST', '/api/v1/woki/bookings', { ...bigParty, waitlist: true })).status).toBe(202);
    expect((await send('POST', '/api/v1/woki/bookings', { ...where, partySize: 0, ...GUEST })).status).toBe(400);
    expect(
      (await send('POST', '/api/v1/woki/bookings', { ...where, partySize: 2, ...GUEST, guestEmail: `not an email ${GUEST.guestEmail}` }))
        .status,
    ).toBe(400);
    expect(
      (await send('POST', '/api/v1/woki/bookings', { ...where, partySize: 3, ...GUEST }, { 'idempotency-key': 'log-test-1' })).status,
    ).toBe(422);
    expect((await send('POST', '/api/v1/woki/bookings', `{"guestName": "${GUEST.guestName}", "notes": `)).status).toBe(400);
    // Reads and lists that answer guest data; a guest reading and cancelling with its token.
    const token = { 'x-booking-token': anonymous.json.manageToken as string };
    expect((await send('GET', `/api/v1/woki/bookings/${String(staff.json.id)}`, undefined, admin)).status).toBe(200);
    expect((await send('GET', '/api/v1/woki/bookings/day?restaurantId=R1&sectorId=S1&date=2025-10-22', undefined, admin)).status).toBe(200);
    expect((await send('GET', `/api/v1/woki/bookings/${String(staff.json.id)}/history`, undefined, admin)).status).toBe(200);
    expect((await send('GET', `/api/v1/woki/bookings/${String(anonymous.json.id)}`, undefined, token)).status).toBe(200);
    expect((await send('DELETE', `/api/v1/woki/bookings/${String(anonymous.json.id)}`, undefined, token)).status).toBe(204);
    // Guest profiles: a search by name and by phone, a read, an edit with notes, a merge, an erasure.
    const guestId = String(staff.json.guestId);
    expect(
      (await send('GET', `/api/v1/guests?restaurantId=R1&query=${encodeURIComponent(GUEST.guestName)}`, undefined, admin)).status,
    ).toBe(200);
    expect((await send('GET', '/api/v1/guests?restaurantId=R1&query=77773141', undefined, admin)).status).toBe(200);
    expect((await send('GET', `/api/v1/guests/${guestId}`, undefined, admin)).status).toBe(200);
    expect((await send('PATCH', `/api/v1/guests/${guestId}`, { name: GUEST.guestName, notes: GUEST.notes }, admin)).status).toBe(200);
    const other = await send('POST', '/api/v1/woki/bookings', { ...where, partySize: 2, guestEmail: `other.${GUEST.guestEmail}` }, admin);
    expect((await send('POST', `/api/v1/guests/${guestId}/merge`, { from: other.json.guestId }, admin)).status).toBe(200);
    expect((await send('DELETE', `/api/v1/guests/${guestId}`, undefined, admin)).status).toBe(204);

    const logs = lines.join('\n');
    // The logs did record these requests: the test looked where the data would be.
    const requests = lines
      .map((line) => JSON.parse(line) as { msg?: string; op?: string; partySize?: unknown })
      .filter((line) => line.msg === 'request');
    expect(requests.filter((line) => line.op === 'create_booking').length).toBeGreaterThanOrEqual(10);
    expect(requests.filter((line) => line.op === 'search_guests').length).toBe(2);
    expect(requests.some((line) => line.partySize === 9)).toBe(true);
    for (const value of Object.values(GUEST)) expect(logs).not.toContain(value);
    // Nor in pieces: the name's parts, the email's local part, the phone's digits.
    for (const piece of ['Zenobia', 'Quillfeather', 'zenobia.quillfeather', '7777-3141', '77773141', 'shellfish'])
      expect(logs).not.toContain(piece);
    expect(logs).not.toContain(anonymous.json.manageToken as string);
  });

  it('credentials in requests never reach the logs: passwords, tokens, API keys, the admin secret', async () => {
    const admin = { 'x-admin-secret': ADMIN_SECRET };
    const user = await send('POST', '/api/v1/admin/users', { email: STAFF_EMAIL, password: PASSWORD, name: 'Logged Staff' }, admin);
    expect(user.status).toBe(201);
    expect((await send('POST', '/api/v1/restaurants/R1/members', { userId: user.json.id, role: 'owner' }, admin)).status).toBe(201);
    expect((await send('POST', '/api/v1/auth/login', { email: STAFF_EMAIL, password: `${PASSWORD}, almost` })).status).toBe(401);
    const pair = await send('POST', '/api/v1/auth/login', { email: STAFF_EMAIL, password: PASSWORD });
    expect(pair.status).toBe(200);
    const access = pair.json.accessToken as string;
    const refresh = pair.json.refreshToken as string;
    const bearer = { authorization: `Bearer ${access}` };
    const key = await send('POST', '/api/v1/restaurants/R1/api-keys', { name: 'logged', scopes: ['bookings:read'] }, bearer);
    expect(key.status).toBe(201);
    expect((await send('GET', '/api/v1/woki/bookings/B1', undefined, { 'x-api-key': key.json.key as string })).status).toBe(200);
    const rotated = await send('POST', '/api/v1/auth/refresh', { refreshToken: refresh });
    expect(rotated.status).toBe(200);
    expect((await send('POST', '/api/v1/auth/refresh', { refreshToken: refresh })).status).toBe(401);
    expect((await send('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${access}x` })).status).toBe(401);
    expect((await send('GET', '/api/v1/admin/info', undefined, { 'x-admin-secret': `${ADMIN_SECRET}-wrong` })).status).toBe(403);

    const logs = lines.join('\n');
    expect(logs).toContain('"op":"login"');
    for (const secret of [
      PASSWORD,
      ADMIN_SECRET,
      access,
      access.split('.')[2]!,
      refresh,
      rotated.json.refreshToken as string,
      key.json.key as string,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
