import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startServer, type Reply, type TestServer } from '../support/server.js';

const ALLOWED = 'https://app.example.com';
const BOOKING = { ...DEMO, partySize: 2, durationMinutes: 90, windowStart: '20:00', windowEnd: '23:45' };

function expectSecurityHeaders(reply: Reply): void {
  expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  expect(reply.headers.get('x-frame-options')).toBe('DENY');
  expect(reply.headers.get('strict-transport-security')).toContain('max-age=');
  expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
  expect(reply.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(reply.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

function directives(reply: Reply): Map<string, string[]> {
  const csp = reply.headers.get('content-security-policy') ?? '';
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('security headers, CORS and caching (SPEC §5 "Abuse")', () => {
  let ctx: TestServer;
  let withCors: TestServer;

  beforeAll(async () => {
    ctx = await startServer({ seed: true });
    withCors = await startServer({ protection: { corsOrigins: [ALLOWED, 'http://localhost:5173'] } });
  });

  afterAll(async () => {
    await ctx.close();
    await withCors.close();
  });

  it('every answer carries the security headers: successes, errors, unknown routes', async () => {
    const answers = [
      await ctx.get('/health/live'),
      await ctx.get(`/api/v1/woki/discover?restaurantId=R1&sectorId=S1&date=${DEMO.date}&partySize=2&duration=90`),
      await ctx.get('/api/v1/woki/discover'),
      // Refused by the credential check itself.
      await ctx.request('GET', '/api/v1/admin/info', { headers: { authorization: 'Bearer not-a-token' } }),
      await ctx.get('/no/such/route'),
    ];
    expect(answers.map((reply) => reply.status)).toEqual([200, 200, 400, 401, 404]);
    for (const reply of answers) expectSecurityHeaders(reply);
    // A JSON API needs nothing from a browser.
    expect(directives(answers[1]!).get('default-src')).toEqual(["'none'"]);
  });

  it('the /docs page loads: its scripts, styles and spec come from this origin and its CSP allows exactly that', async () => {
    const page = await fetch(`${ctx.base}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const reply = { status: page.status, headers: page.headers, body: html, text: html };
    expectSecurityHeaders(reply);
    const csp = directives(reply);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toContain("'self'");
    expect(csp.get('connect-src')).toContain("'self'");
    expect(csp.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:']));
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    // No inline script that 'self' would block; every asset is same-origin and answers.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, page.url));
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of [...assets, new URL('./json', `${page.url.replace(/\/?$/, '/')}`)]) {
      expect(asset.origin).toBe(ctx.base);
      const loaded = await fetch(asset);
      expect(loaded.status, asset.pathname).toBe(200);
    }
  });

  it('CORS answers only configured origins, preflights included', async () => {
    const allowed = await withCors.get('/health/live', { origin: ALLOWED });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(allowed.headers.get('vary')).toContain('Origin');

    const other = await withCors.get('/health/live', { origin: 'https://evil.example.com' });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = await withCors.request('OPTIONS', '/api/v1/woki/bookings/B1', {
      headers: { origin: ALLOWED, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    const refused = await withCors.request('OPTIONS', '/api/v1/woki/bookings/B1', {
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'DELETE' },
    });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    // The preflight route answers OPTIONS on any path; other methods on unknown paths are still 404.
    expect((await withCors.get('/no/such/route')).status).toBe(404);
  });

  it('with no origins configured there are no CORS headers at all', async () => {
    const simple = await ctx.get('/health/live', { origin: ALLOWED });
    const preflight = await ctx.request('OPTIONS', '/api/v1/woki/bookings/B1', {
      headers: { origin: ALLOWED, 'access-control-request-method': 'DELETE' },
    });
    for (const reply of [simple, preflight]) {
      expect([...reply.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('answers with guest data are never cached: Cache-Control: no-store', async () => {
    const created = await ctx.post<{ id: string }>('/api/v1/woki/bookings', BOOKING);
    expect(created.status).toBe(201);
    const private_ = [
      created,
      await ctx.post('/woki/bookings', BOOKING),
      await ctx.get(`/woki/bookings/${created.body.id}`),
      await ctx.get(`/api/v1/woki/bookings/day?restaurantId=R1&sectorId=S1&date=${DEMO.date}`),
      await ctx.get('/api/v1/woki/bookings/no-such-booking'),
      await ctx.get('/api/v1/woki/waitlist/no-such-entry'),
      await ctx.post('/auth/login', { email: 'a@example.com', password: 'wrong password' }),
    ];
    for (const reply of private_) expect(reply.headers.get('cache-control'), reply.text).toBe('no-store');
    const discover = await ctx.get(`/api/v1/woki/discover?restaurantId=R1&sectorId=S1&date=${DEMO.date}&partySize=2&duration=90`);
    expect(discover.status).toBe(200);
    expect(discover.headers.get('cache-control')).toBeNull();
  });
});
