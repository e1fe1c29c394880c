import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, expectError, qs, startServer, type TestServer } from '../support/server.js';
import { ADMIN, bookingRequest, R1 } from './tenants.js';

/** Fastify's body limit as the server sets it (64 KiB). */
const BODY_LIMIT = 64 * 1024;

/**
 * OWASP API4:2023 Unrestricted Resource Consumption: bounded bodies, bounded
 * page sizes, bounded party sizes and text fields, bounded inputs to the
 * expensive password hash. Per-client rate limits (and the login and create
 * budgets) are tested in rateLimits.e2e.test.ts and rateLimitKeys.e2e.test.ts;
 * the per-account login lockout in api2BrokenAuthentication.e2e.test.ts.
 */
describe('OWASP API4:2023 Unrestricted Resource Consumption', () => {
  let ctx: TestServer;

  beforeAll(async () => {
    ctx = await startServer({ seed: true });
  });
  afterAll(() => ctx.close());

  const post = (path: string, rawBody: string, headers: Record<string, string> = {}) =>
    ctx.request('POST', path, { rawBody, headers: { 'content-type': 'application/json', ...headers } });

  it('a body over the limit is refused with 413 before anything reads it, signed in or not', async () => {
    const padding = 'x'.repeat(BODY_LIMIT + 1);
    const huge = JSON.stringify({ ...bookingRequest(R1), notes: padding });
    for (const [path, headers] of [
      ['/api/v1/woki/bookings', {}],
      ['/api/v1/woki/bookings', ADMIN],
      ['/woki/bookings', {}],
      ['/api/v1/auth/login', {}],
      ['/api/v1/auth/refresh', {}],
      ['/api/v1/admin/users', ADMIN],
    ] as const) {
      const reply = await post(path, path.includes('login') ? JSON.stringify({ email: 'a@b.example', password: padding }) : huge, headers);
      expectError(reply, 413, 'payload_too_large');
    }
    // Just under the limit parses (and is then refused for what it says, not for its size).
    const under = JSON.stringify({ ...bookingRequest(R1), notes: 'y'.repeat(BODY_LIMIT - 400) });
    expect(Buffer.byteLength(under)).toBeLessThan(BODY_LIMIT);
    expectError(await post('/api/v1/woki/bookings', under), 400, 'invalid_input');
  });

  it('the page size of discover is capped: limit=100 answers, limit=101 and absurd limits are 400', async () => {
    const discover = (limit: string) =>
      ctx.request('GET', `/api/v1/woki/discover${qs({ ...DEMO, partySize: 2, duration: 60 })}&limit=${limit}`, {});
    expect((await discover('100')).status).toBe(200);
    for (const limit of ['101', '1000000', '999999999999', '-1', '0', '1e9', 'Infinity']) {
      expectError(await discover(limit), 400, 'invalid_input');
    }
  });

  it('a party over the maximum is 400, for discover and create alike', async () => {
    for (const partySize of [10_001, 1_000_000, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      expectError(await ctx.request('POST', '/api/v1/woki/bookings', { body: bookingRequest(R1, { partySize }) }), 400, 'invalid_input');
      expectError(await ctx.request('GET', `/api/v1/woki/discover${qs({ ...DEMO, partySize, duration: 60 })}`, {}), 400, 'invalid_input');
    }
    // Durations are bounded by the restaurant too: no week-long stays to scan.
    expectError(
      await ctx.request('POST', '/api/v1/woki/bookings', { body: bookingRequest(R1, { durationMinutes: 7 * 24 * 60 }) }),
      400,
      'invalid_input',
    );
  });

  it('text fields are bounded: guest name, notes, email, idempotency key', async () => {
    const tooLong = {
      guestName: 'n'.repeat(201),
      notes: 'n'.repeat(2001),
      guestEmail: `${'e'.repeat(320)}@x.example`,
      guestPhone: '1'.repeat(41),
    };
    for (const [field, value] of Object.entries(tooLong)) {
      expectError(
        await ctx.request('POST', '/api/v1/woki/bookings', { body: bookingRequest(R1, { [field]: value }) }),
        400,
        'invalid_input',
      );
    }
    const longKey = await ctx.request('POST', '/api/v1/woki/bookings', {
      body: bookingRequest(R1),
      headers: { 'idempotency-key': 'k'.repeat(256) },
    });
    expectError(longKey, 400, 'invalid_input');
  });

  it('the password hash (scrypt, costly by design) is never fed an unbounded input', async () => {
    const long = 'p'.repeat(257);
    expectError(
      await ctx.request('POST', '/api/v1/auth/login', { body: { email: 'nobody@staff.example', password: long } }),
      400,
      'invalid_input',
    );
    expectError(
      await ctx.request('POST', '/api/v1/admin/users', {
        body: { email: 'long@staff.example', password: long, name: 'Long' },
        headers: ADMIN,
      }),
      400,
      'invalid_input',
    );
    expectError(await ctx.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'r'.repeat(201) } }), 400, 'invalid_input');
  });

  it('API key scopes are a bounded set', async () => {
    const scopes = Array.from({ length: 1000 }, () => 'bookings:read');
    const reply = await ctx.request('POST', '/api/v1/restaurants/R1/api-keys', { body: { name: 'many', scopes }, headers: ADMIN });
    expectError(reply, 400, 'invalid_input');
  });
});
