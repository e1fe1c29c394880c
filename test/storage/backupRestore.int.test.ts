import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLog, importLog } from '../../src/application/maintenance/backup.js';
import { composeFromConfig, openStore, type Composition } from '../../src/compose.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';

const caller = { actor: 'test' };
const DAY = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22' };

async function* fromArray(lines: string[]) {
  yield* lines;
}

describe('backup from SQLite, restore into PostgreSQL', () => {
  let dataDir = '';
  let sqlite: Composition;
  let database: { url: string; drop(): Promise<void> } | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-backup-'));
    sqlite = await composeFromConfig({
      store: 'sqlite',
      dataDir,
      databaseUrl: undefined,
      redisUrl: undefined,
      idempotencyRetentionMs: 60_000,
    });
    await sqlite.app.seedDemo(caller);
    for (const [partySize, windowStart] of [
      [2, '12:00'],
      [4, '12:00'],
      [6, '20:00'],
      [9, '20:00'],
      [3, '13:00'],
    ] as const) {
      await sqlite.app.createBooking({ ...DAY, partySize, durationMinutes: 90, windowStart }, caller);
    }
    const toCancel = (await sqlite.app.listDay(DAY)).items[1]!;
    await sqlite.app.cancelBooking(toCancel.id, caller);
    if (await postgresAvailable()) database = await freshDatabase();
  });

  afterAll(async () => {
    await sqlite.close();
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('gives identical day listings, histories and event positions', async (context) => {
    if (!database) return context.skip();
    const lines: string[] = [];
    for await (const line of exportLog(sqlite.store)) lines.push(line);
    expect(lines.length).toBe(1 + 8 + 5 + 1); // header, demo data, five bookings, one cancellation

    const postgres = await composeFromConfig({
      store: 'postgres',
      dataDir,
      databaseUrl: database.url,
      redisUrl: undefined,
      idempotencyRetentionMs: 60_000,
    });
    try {
      expect(await importLog(postgres.store, fromArray(lines))).toBe(lines.length - 1);
      const expected = await sqlite.app.listDay(DAY);
      expect(expected.items).toHaveLength(6);
      expect(await postgres.app.listDay(DAY)).toEqual(expected);
      for (const booking of expected.items) {
        expect(await postgres.app.bookingHistory(booking.id)).toEqual(await sqlite.app.bookingHistory(booking.id));
      }
      // The restored store goes on from where the log ended.
      const next = await postgres.app.createBooking({ ...DAY, partySize: 2, durationMinutes: 30, windowStart: '15:00' }, caller);
      expect(next.status).toBe(201);
      const history = await postgres.app.bookingHistory(next.body.id);
      expect(history.events[0]!.position).toBe(lines.length);
      await expect(importLog(postgres.store, fromArray(lines))).rejects.toThrow(/empty store/);
    } finally {
      await postgres.close();
    }
  });

  it('restores into a second SQLite file with the same listings after a rebuild', async () => {
    const lines: string[] = [];
    for await (const line of exportLog(sqlite.store)) lines.push(line);
    const otherDir = await mkdtemp(join(tmpdir(), 'wokibrain-restore-'));
    const { store } = await openStore({ store: 'sqlite', dataDir: otherDir, databaseUrl: undefined });
    try {
      await importLog(store, fromArray(lines));
      await store.rebuildProjections();
      expect(await store.bookingsOfDay('R1', 'S1', DAY.date)).toEqual(await sqlite.store.bookingsOfDay('R1', 'S1', DAY.date));
      expect(await store.counts()).toEqual(await sqlite.store.counts());
    } finally {
      await store.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
