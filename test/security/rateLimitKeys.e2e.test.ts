import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROTECTION, registerRateLimits } from '../../src/adapters/http/abuse.js';
import { sendError } from '../../src/adapters/http/errorHandler.js';
import type { Principal } from '../../src/application/access/principal.js';

/**
 * Whom each request counts against, with the principal set as the auth layer
 * sets it (an earlier `onRequest` hook): here a stand-in reads it from a test
 * header, so that these tests need no accounts.
 */
const LIMITS = { anonymousMax: 3, authenticatedMax: 6, createMax: 2, loginMax: 2 };
const PRINCIPALS: Record<string, Principal> = {
  ada: { kind: 'user', userId: 'ada', roles: { R1: 'host' } },
  bob: { kind: 'user', userId: 'bob', roles: { R1: 'owner' } },
  key1: { kind: 'apiKey', keyId: 'key1', restaurantId: 'R1', scopes: ['bookings:write'] },
  root: { kind: 'admin' },
  guest: { kind: 'guest', resource: 'booking:B1' },
};

let server: FastifyInstance | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function build(limits = LIMITS): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.addHook('onRequest', async (request) => {
    const who = request.headers['x-test-principal'];
    if (typeof who === 'string') Object.assign(request, { principal: PRINCIPALS[who] });
  });
  await registerRateLimits(app, { ...DEFAULT_PROTECTION, rateLimits: limits });
  for (const prefix of ['', '/api/v1']) {
    app.post(`${prefix}/auth/login`, async () => ({ accessToken: 'x' }));
    app.get(`${prefix}/things`, async () => ({ ok: true }));
  }
  await app.ready();
  server = app;
  return app;
}

async function statuses(app: FastifyInstance, count: number, init: { url?: string; method?: 'GET' | 'POST'; who?: string; ip?: string }) {
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await app.inject({
      method: init.method ?? 'GET',
      url: init.url ?? '/things',
      remoteAddress: init.ip ?? '192.0.2.1',
      headers: init.who ? { 'x-test-principal': init.who } : {},
    });
    result.push(reply.statusCode);
  }
  return result;
}

describe('rate-limit keys and budgets', () => {
  it('authenticated callers count by principal, with the larger budget; anonymous ones and guests by IP', async () => {
    const app = await build();
    // Two users behind one IP: each has the authenticated budget (6) of their own.
    expect(await statuses(app, 7, { who: 'ada' })).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect(await statuses(app, 7, { who: 'bob' })).toEqual([200, 200, 200, 200, 200, 200, 429]);
    // An API key and the admin likewise, whatever their IP.
    expect(await statuses(app, 4, { who: 'key1', ip: '192.0.2.50' })).toEqual([200, 200, 200, 200]);
    expect(await statuses(app, 3, { who: 'key1', ip: '192.0.2.51' })).toEqual([200, 200, 429]);
    expect(await statuses(app, 7, { who: 'root' })).toEqual([200, 200, 200, 200, 200, 200, 429]);
    // Nobody's use of the IP above touched its anonymous budget (3); a guest token counts as that IP.
    expect(await statuses(app, 2, {})).toEqual([200, 200]);
    expect(await statuses(app, 2, { who: 'guest' })).toEqual([200, 429]);
    // The same user from another IP is still the same client.
    expect(await statuses(app, 1, { who: 'ada', ip: '198.51.100.1' })).toEqual([429]);
  });

  it('logins have a stricter budget per IP, shared by /auth/login and /api/v1/auth/login', async () => {
    const app = await build({ ...LIMITS, anonymousMax: 100 });
    expect(await statuses(app, 1, { method: 'POST', url: '/auth/login' })).toEqual([200]);
    expect(await statuses(app, 2, { method: 'POST', url: '/api/v1/auth/login' })).toEqual([200, 429]);
    const refused = await app.inject({ method: 'POST', url: '/auth/login', remoteAddress: '192.0.2.1' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: 'rate_limited', detail: expect.stringContaining('login attempts') });
    expect(refused.headers['ratelimit-limit']).toBe('2');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Whoever is logged in: attempts still count by IP.
    expect(await statuses(app, 1, { method: 'POST', url: '/auth/login', who: 'ada' })).toEqual([429]);
    // Another IP has attempts of its own, and the first one may still do anything but log in.
    expect(await statuses(app, 3, { method: 'POST', url: '/auth/login', ip: '192.0.2.2' })).toEqual([200, 200, 429]);
    expect(await statuses(app, 1, {})).toEqual([200]);
  });
});
