import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, expectError, startServer, type Reply, type StartOptions, type TestServer } from '../support/server.js';

const LIMITS = { anonymousMax: 5, authenticatedMax: 50, createMax: 3, loginMax: 2 };
const BOOKING = { ...DEMO, partySize: 2, durationMinutes: 90, windowStart: '20:00', windowEnd: '23:45' };

let servers: TestServer[] = [];

async function serverWith(protection: StartOptions['protection'], seed = false): Promise<TestServer> {
  const server = await startServer({ seed, protection: { rateLimits: LIMITS, ...protection } });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** GET without credentials: an anonymous client. */
function anonymous(ctx: TestServer, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return ctx.request('GET', path, { headers });
}

/** Sends anonymous GETs of `path` until the first 429 (or `cap` requests); returns the answers. */
async function untilLimited(ctx: TestServer, path: string, headers: Record<string, string> = {}, cap = 50): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let i = 0; i < cap; i++) {
    const reply = await anonymous(ctx, path, headers);
    replies.push(reply);
    if (reply.status === 429) break;
  }
  return replies;
}

function expectRateLimited(reply: Reply, limit: number): void {
  expectError(reply, 429, 'rate_limited');
  const retryAfter = Number(reply.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(reply.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(reply.headers.get('ratelimit-remaining')).toBe('0');
  expect(Number(reply.headers.get('ratelimit-reset'))).toBe(retryAfter);
}

describe('per-client rate limits (SPEC §5 "Abuse")', () => {
  it('counts requests whose credentials are refused against the sender, so secrets, keys and tokens cannot be guessed at will', async () => {
    const ctx = await serverWith({});
    const guesses: Record<string, string>[] = [
      { 'x-api-key': 'wbk_guess' },
      { 'x-admin-secret': 'guess-guess-guess' },
      { authorization: 'Bearer not.a.jwt' },
      { authorization: 'Basic Zm9vOmJhcg==' },
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await anonymous(ctx, '/openapi.json', guesses[i % guesses.length]!)).status);
    expect(statuses).toEqual([401, 403, 401, 401, 401, 429]);
  });

  it('an anonymous client gets RATE_LIMIT_MAX requests a minute, then 429 rate_limited with Retry-After and RateLimit-*', async () => {
    const ctx = await serverWith({});
    const replies = await untilLimited(ctx, '/openapi.json');
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(replies.slice(0, 5).map((reply) => reply.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    for (const reply of replies.slice(0, 5)) {
      expect(reply.headers.get('ratelimit-limit')).toBe('5');
      expect(Number(reply.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    expectRateLimited(replies[5]!, 5);
    // The budget is the client's, not the route's: every other route is closed to it as well, unknown ones too.
    expectRateLimited(await anonymous(ctx, '/api/v1/woki/discover'), 5);
    expectRateLimited(await anonymous(ctx, '/no/such/route'), 5);
  });

  it('without TRUST_PROXY, X-Forwarded-For does not move a client to another budget', async () => {
    const ctx = await serverWith({ trustProxy: false });
    const replies = await untilLimited(ctx, '/openapi.json', { 'x-forwarded-for': '203.0.113.7' });
    expect(replies).toHaveLength(6);
    expectRateLimited(await anonymous(ctx, '/openapi.json', { 'x-forwarded-for': '198.51.100.9' }), 5);
    expectRateLimited(await anonymous(ctx, '/openapi.json'), 5);
  });

  it('with TRUST_PROXY, each forwarded client address has a budget of its own', async () => {
    const ctx = await serverWith({ trustProxy: true });
    const first = await untilLimited(ctx, '/openapi.json', { 'x-forwarded-for': '203.0.113.7' });
    expect(first.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200, 429]);
    const other = await anonymous(ctx, '/openapi.json', { 'x-forwarded-for': '198.51.100.9' });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('4');
    expectRateLimited(await anonymous(ctx, '/openapi.json', { 'x-forwarded-for': '203.0.113.7' }), 5);
  });

  it('creates have a stricter budget that bites before the general one, shared by /woki and /api/v1', async () => {
    const ctx = await serverWith({ rateLimits: { ...LIMITS, anonymousMax: 100 } }, true);
    const created = [
      await ctx.request('POST', '/woki/bookings', { body: BOOKING }),
      await ctx.request('POST', '/api/v1/woki/bookings', { body: BOOKING }),
      await ctx.request('POST', '/woki/bookings', { body: BOOKING }),
    ];
    expect(created.map((reply) => reply.status)).toEqual([201, 201, 201]);
    expect(created.map((reply) => reply.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(created[0]!.headers.get('ratelimit-limit')).toBe('3');

    const refused = await ctx.request('POST', '/api/v1/woki/bookings', { body: BOOKING });
    expectRateLimited(refused, 3);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('creates') });
    // Only creates are closed: the general budget (100) has room left.
    const read = await anonymous(ctx, `/api/v1/woki/discover?restaurantId=R1&sectorId=S1&date=${DEMO.date}&partySize=2&duration=90`);
    expect(read.status).toBe(200);
    expect(Number(read.headers.get('ratelimit-remaining'))).toBeGreaterThan(90);
  });

  it('login attempts have a budget per IP of their own, shared by /auth/login and /api/v1/auth/login', async () => {
    const ctx = await serverWith({ rateLimits: { ...LIMITS, anonymousMax: 100 } });
    const attempt = (path: string, email: string) => ctx.request('POST', path, { body: { email, password: 'not the password' } });
    expect((await attempt('/auth/login', 'a@example.com')).status).toBe(401);
    expect((await attempt('/api/v1/auth/login', 'b@example.com')).status).toBe(401);
    const refused = await attempt('/auth/login', 'c@example.com');
    expectRateLimited(refused, 2);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('login attempts') });
    // Everything else is still open to that client.
    expect((await anonymous(ctx, '/openapi.json')).status).toBe(200);
  });

  it('health probes are never limited, at the root or under /api/v1', async () => {
    const ctx = await serverWith({ rateLimits: { ...LIMITS, anonymousMax: 2 } });
    expect((await untilLimited(ctx, '/openapi.json')).map((reply) => reply.status)).toEqual([200, 200, 429]);
    for (const path of ['/health', '/health/live', '/health/ready', '/api/v1/health/live', '/api/v1/health/ready']) {
      for (let i = 0; i < 10; i++) {
        const reply = await anonymous(ctx, path);
        expect(reply.status, `${path} #${i}: ${reply.text}`).toBe(200);
        expect(reply.headers.get('ratelimit-limit')).toBeNull();
      }
    }
  });

  it('with Redis unreachable, requests are still answered and the limits still hold in each process', async () => {
    const ctx = await serverWith({ redisUrl: 'redis://127.0.0.1:1' });
    const replies = await untilLimited(ctx, '/openapi.json');
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expectRateLimited(replies[5]!, 5);
  });
});
