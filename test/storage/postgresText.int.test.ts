import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralCredentials } from '../../src/adapters/auth/credentials.js';
import { DEFAULT_PROTECTION } from '../../src/adapters/http/abuse.js';
import { buildHttpServer } from '../../src/adapters/http/server.js';
import { composeFromConfig, type Composition } from '../../src/compose.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';
import { ADMIN_SECRET, DEMO } from '../support/server.js';
import { UNSAFE } from '../support/unsafeText.js';

const available = await postgresAvailable();
const booking = { ...DEMO, partySize: 2, durationMinutes: 60 };
const UNLIMITED = { anonymousMax: 10_000_000, authenticatedMax: 10_000_000, createMax: 10_000_000, loginMax: 10_000_000 };

/**
 * NUL and unpaired surrogates are what PostgreSQL itself refuses (text and JSONB), so on
 * this store they used to surface as 500. The HTTP layer now refuses them with the same
 * 400 as on every other store, before the store is asked.
 */
if (available) {
  describe('unsafe text on PostgreSQL', () => {
    let database: { url: string; drop(): Promise<void> };
    let composition: Composition;
    let server: FastifyInstance;
    let base = '';

    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    beforeAll(async () => {
      database = await freshDatabase();
      composition = await composeFromConfig(
        { store: 'postgres', dataDir: '.', databaseUrl: database.url, redisUrl: undefined, idempotencyRetentionMs: 60_000 },
        { credentials: ephemeralCredentials(ADMIN_SECRET) },
      );
      await composition.app.seedDemo({ actor: 'test' });
      server = await buildHttpServer({
        app: composition.app,
        logger: pino({ level: 'silent' }),
        version: 'test',
        store: composition.store,
        protection: { ...DEFAULT_PROTECTION, rateLimits: UNLIMITED },
      });
      await server.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await server?.close();
      await composition?.close();
      await database?.drop();
    });

    it('the store itself refuses NUL and unpaired surrogates: the failure the HTTP layer keeps away', async () => {
      for (const guestName of ['Ana\u0000', 'Ana\ud800']) {
        const error = await composition.app.createBooking({ ...booking, guestName }, { actor: 'test' }).catch((e: unknown) => e);
        expect(error, guestName).toBeInstanceOf(Error);
        expect(error).not.toHaveProperty('code', 'invalid_input');
      }
    });

    it.each(UNSAFE)('a booking whose guestName or notes hold %s → 400 invalid_input, never 500', async (_label, value) => {
      for (const body of [
        { ...booking, guestName: `Ana${value}` },
        { ...booking, notes: `by the window${value}` },
      ]) {
        const reply = await post('/api/v1/woki/bookings', body);
        expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
        expect(Object.keys(reply.body).sort()).toEqual(['detail', 'error']);
      }
    });

    it.each(UNSAFE)('admin names and blackout reasons holding %s → 400 invalid_input', async (_label, value) => {
      const admin = { 'x-admin-secret': ADMIN_SECRET };
      for (const [path, body] of [
        ['/api/v1/admin/restaurants', { id: 'RP', name: `Casa${value}`, timezone: 'UTC' }],
        ['/api/v1/admin/sectors', { id: 'SP', restaurantId: 'R1', name: `Patio${value}` }],
        ['/api/v1/admin/tables', { id: 'TP', sectorId: 'S1', name: `Mesa${value}`, minSize: 1, maxSize: 2 }],
        [
          '/api/v1/woki/blackouts',
          { id: 'BP', ...DEMO, start: '2031-01-01T10:00:00-03:00', end: '2031-01-01T11:00:00-03:00', reason: `leak${value}` },
        ],
      ] as const) {
        expect(await post(path, body, admin), path).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
      }
    });

    it('keeps tabs, newlines, CRLF and emoji as sent', async () => {
      const notes = 'tab\there\nline two\r\nline three 😀';
      // As staff, who see the guest fields in the answer.
      const reply = await post('/api/v1/woki/bookings', { ...booking, guestName: 'Ana', notes }, { 'x-admin-secret': ADMIN_SECRET });
      expect(reply.status).toBe(201);
      expect(reply.body.notes).toBe(notes);
      expect((await composition.app.getBooking(reply.body.id as string)).notes).toBe(notes);
    });
  });
} else {
  describe.skip('unsafe text on PostgreSQL (PostgreSQL unreachable)', () => {
    it('needs PostgreSQL', () => {});
  });
}
