import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeFromConfig, type Composition } from '../../src/compose.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';
import { DEMO } from '../support/server.js';

const available = await postgresAvailable();

/**
 * Each statement a create sends PostgreSQL is a round trip and, on this machine, most
 * of a create's CPU (the socket writes): these counts are what `bench:scale` reports
 * as transactions per create, pinned so that a change cannot add one unnoticed.
 * Counted at the wire: every extended-protocol statement is one Bind, every simple
 * one (BEGIN, COMMIT) one Query.
 */
if (available) {
  describe('statements a create sends PostgreSQL', () => {
    let database: { url: string; drop(): Promise<void> };
    let composition: Composition;
    const sent: string[] = [];
    const connection = (pg as unknown as { Connection: { prototype: Record<string, (...args: unknown[]) => unknown> } }).Connection
      .prototype;
    const original = { bind: connection.bind!, query: connection.query! };

    beforeAll(async () => {
      database = await freshDatabase();
      composition = await composeFromConfig({
        store: 'postgres',
        dataDir: '.',
        databaseUrl: database.url,
        redisUrl: undefined,
        idempotencyRetentionMs: 60_000,
      });
      await composition.app.seedDemo({ actor: 'test' });
      connection.bind = function (this: unknown, ...args: unknown[]) {
        sent.push('bind');
        return original.bind.apply(this, args);
      };
      connection.query = function (this: unknown, ...args: unknown[]) {
        sent.push(String(args[0]));
        return original.query.apply(this, args);
      };
    });

    afterAll(async () => {
      connection.bind = original.bind;
      connection.query = original.query;
      await composition?.close();
      await database?.drop();
    });

    const statementsOf = async (extra: Record<string, string> = {}, idempotencyKey?: string) => {
      sent.length = 0;
      const created = await composition.app.createBooking(
        { ...DEMO, partySize: 2, durationMinutes: 60, ...extra },
        { actor: 'test' },
        idempotencyKey,
      );
      expect(created).toMatchObject({ status: 201, body: { id: expect.any(String) } });
      return sent.length;
    };

    it('an anonymous create in a sector seen before: its read and its append', async () => {
      // The first create of the sector since start reads its seats under the lock: one more.
      expect(await statementsOf()).toBe(3);
      expect(await statementsOf()).toBe(2);
    });

    it('an Idempotency-Key adds its claim only: the answer is kept by the append itself, and a retry replays it', async () => {
      expect(await statementsOf()).toBe(2);
      expect(await statementsOf({}, 'round-trips-1')).toBe(3);
      const retried = await composition.app.createBooking(
        { ...DEMO, partySize: 2, durationMinutes: 60 },
        { actor: 'test' },
        'round-trips-1',
      );
      expect(retried).toMatchObject({ status: 201, replayed: true });
    });

    it('a returning guest with nothing new: one statement more, for the profile (the sealing key is kept)', async () => {
      const guest = { guestName: 'Ana Ruiz', guestPhone: '+5491122334455' };
      // First sight makes the profile and its key, in a transaction of their own.
      expect(await statementsOf(guest)).toBeGreaterThan(3);
      expect(await statementsOf(guest)).toBe(3);
    });
  });
}
