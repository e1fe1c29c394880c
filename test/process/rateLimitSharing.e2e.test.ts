import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/serverProcess.js';
import { redisAvailable, REDIS_URL } from '../support/services.js';

const LIMIT = 7;

describe('two server processes on one Redis', () => {
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    if (!(await redisAvailable())) return;
    const env = { STORE: 'memory', SEED_DEMO: 'false', REDIS_URL, RATE_LIMIT_MAX: String(LIMIT), TRUST_PROXY: 'true' };
    servers = await Promise.all([startServer(env), startServer(env)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('share one budget per client: alternating between them, the client gets RATE_LIMIT_MAX answers in all, not twice that', async (context) => {
    if (servers.length === 0) return context.skip();
    // A client address of its own (through TRUST_PROXY), so that no earlier run's counts in Redis are in the way.
    const client = { 'x-forwarded-for': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` };
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 2 * LIMIT; i++) {
      const response = await fetch(`${servers[i % 2]!.url}/openapi.json`, { headers: client });
      await response.arrayBuffer();
      statuses.push(response.status);
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), ...Array<number>(LIMIT).fill(429)]);
    expect(remaining.slice(0, LIMIT)).toEqual(Array.from({ length: LIMIT }, (_, i) => String(LIMIT - 1 - i)));

    // Another client is untouched on either process.
    const other = await fetch(`${servers[1]!.url}/openapi.json`, { headers: { 'x-forwarded-for': '192.0.2.200' } });
    await other.arrayBuffer();
    expect(other.status).toBe(200);
  }, 60_000);
});
