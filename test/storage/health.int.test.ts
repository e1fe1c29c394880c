import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ephemeralCredentials } from '../../src/adapters/auth/credentials.js';
import { DEFAULT_PROTECTION } from '../../src/adapters/http/abuse.js';
import { buildHttpServer } from '../../src/adapters/http/server.js';
import { composeFromConfig, type Composition } from '../../src/compose.js';
import { ADMIN_SECRET } from '../support/server.js';

/**
 * Probes cost the same at any size: liveness touches no store, readiness makes one
 * trivial round trip, and the counts (which scan) answer only `/admin/info`.
 */
describe('health probes on a SQLite store', () => {
  let dataDir: string;
  let composition: Composition;
  let server: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-health-'));
    composition = await composeFromConfig(
      { store: 'sqlite', dataDir, databaseUrl: undefined, redisUrl: undefined, idempotencyRetentionMs: 60_000 },
      { credentials: ephemeralCredentials(ADMIN_SECRET) },
    );
    await composition.app.seedDemo({ actor: 'test' });
    server = await buildHttpServer({
      app: composition.app,
      logger: pino({ level: 'silent' }),
      version: 'test',
      store: composition.store,
      protection: DEFAULT_PROTECTION,
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers liveness without the store, readiness with one ping, and counts only on /admin/info', async () => {
    const ping = vi.spyOn(composition.store, 'ping');
    const counts = vi.spyOn(composition.store, 'counts');

    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok' });
    expect(ping).not.toHaveBeenCalled();
    for (const path of ['/health', '/health/ready', '/api/v1/health/ready']) {
      const response = await fetch(base + path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    }
    expect(ping).toHaveBeenCalledTimes(3);
    expect(counts).not.toHaveBeenCalled();

    const info = await fetch(`${base}/api/v1/admin/info`, { headers: { 'x-admin-secret': ADMIN_SECRET } });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { counts: Record<string, number> }).counts).toMatchObject({ restaurants: 1, tables: 5, bookings: 1 });
    expect(counts).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
  });

  it('stays live, and answers 503 on readiness, once the store is gone', async () => {
    await composition.close();
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', detail: 'the store does not answer' });
    expect((await fetch(`${base}/health`)).status).toBe(503);
    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
  });
});
