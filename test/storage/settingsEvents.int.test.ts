import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLog, importLog } from '../../src/application/maintenance/backup.js';
import { streams } from '../../src/application/ports/eventStore.js';
import { composeFromConfig, composeInMemory, openStore, type Composition } from '../../src/compose.js';
import { isAppError } from '../../src/errors/catalogue.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';

/**
 * The settings events (RestaurantUpdated, SectorUpdated, TableUpdated) in every
 * store: projected, moving the sector revisions, honoured by planning, and kept
 * through a rebuild and a backup restored into an empty store.
 */
const caller = { actor: 'test' };
const DAY = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22' };
const AT_NOON = { ...DAY, partySize: 4, durationMinutes: 60, windowStart: '12:00', windowEnd: '13:00' };

async function* fromArray(lines: string[]) {
  yield* lines;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

/** Sets pacing and channels on the demo, then books against them; answers what a restored copy must answer alike. */
async function exercise(c: Composition): Promise<void> {
  await c.app.seedDemo(caller);
  const before = await c.store.sectorRevision('S1');
  const restaurant = await c.app.updateRestaurant('R1', { pacing: { maxCoversPerInterval: 8 }, noShowAfterMinutes: 20 }, caller);
  expect(restaurant).toMatchObject({ pacing: { maxCoversPerInterval: 8 }, noShowAfterMinutes: 20 });
  expect(await c.store.sectorRevision('S1')).toBeGreaterThan(before);
  await c.app.updateSector('S1', { channels: ['online', 'staff'] }, caller);
  await c.app.updateTable('T4', { channels: ['walk_in'] }, caller);
  expect(await c.store.restaurant('R1')).toMatchObject({ pacing: { maxCoversPerInterval: 8 }, noShowAfterMinutes: 20 });
  expect(await c.store.sector('S1')).toMatchObject({ channels: ['online', 'staff'] });
  expect((await c.store.tablesOfSector('S1')).find((table) => table.id === 'T4')).toMatchObject({ channels: ['walk_in'] });
  const versions = (await c.store.readStream(streams.restaurant('R1'))).map((event) => [event.type, event.version]);
  expect(versions).toEqual([
    ['RestaurantRegistered', 1],
    ['RestaurantUpdated', 2],
  ]);
  // Two parties of 4 fill the 12:00 interval (cap 8), though T1+T5 stay free; T4 (4–6) is walk-in only.
  for (let i = 0; i < 2; i++) {
    const booked = await c.app.createBooking(AT_NOON, caller);
    expect(booked.status).toBe(201);
    expect(booked.body.tableIds).not.toContain('T4');
  }
  expect(await refusal(c.app.createBooking(AT_NOON, caller))).toBe('pacing_limit');
}

async function expectSameSettings(restored: Composition, original: Composition): Promise<void> {
  expect(await restored.store.restaurant('R1')).toEqual(await original.store.restaurant('R1'));
  expect(await restored.store.sector('S1')).toEqual(await original.store.sector('S1'));
  expect(await restored.store.tablesOfSector('S1')).toEqual(await original.store.tablesOfSector('S1'));
  expect(await refusal(restored.app.createBooking(AT_NOON, caller))).toBe('pacing_limit');
  expect(
    await refusal(restored.app.discover({ ...DAY, partySize: 2, duration: 60, windowStart: '12:00', windowEnd: '13:00', limit: 10 })),
  ).toBe('pacing_limit');
}

describe('settings events in the memory store', () => {
  it('project, rebuild and restore', async () => {
    const memory = composeInMemory();
    await exercise(memory);
    await memory.store.rebuildProjections();
    await expectSameSettings(memory, memory);
    const lines: string[] = [];
    for await (const line of exportLog(memory.store)) lines.push(line);
    const copy = composeInMemory();
    await importLog(copy.store, fromArray(lines));
    await expectSameSettings(copy, memory);
  });
});

describe('settings events in SQLite and PostgreSQL', () => {
  let dataDir = '';
  let sqlite: Composition;
  let database: { url: string; drop(): Promise<void> } | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-settings-'));
    sqlite = await composeFromConfig({
      store: 'sqlite',
      dataDir,
      databaseUrl: undefined,
      redisUrl: undefined,
      idempotencyRetentionMs: 60_000,
    });
    await exercise(sqlite);
    if (await postgresAvailable()) database = await freshDatabase();
  });

  afterAll(async () => {
    await sqlite?.close();
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('SQLite projects them and keeps them through a rebuild', async () => {
    await sqlite.store.rebuildProjections();
    await expectSameSettings(sqlite, sqlite);
  });

  it('a SQLite backup restored into PostgreSQL answers the same, and PostgreSQL takes new settings events', async (context) => {
    if (!database) return context.skip();
    const lines: string[] = [];
    for await (const line of exportLog(sqlite.store)) lines.push(line);
    const postgres = await composeFromConfig({
      store: 'postgres',
      dataDir,
      databaseUrl: database.url,
      redisUrl: undefined,
      idempotencyRetentionMs: 60_000,
    });
    try {
      await importLog(postgres.store, fromArray(lines));
      await expectSameSettings(postgres, sqlite);
      await postgres.store.rebuildProjections();
      await expectSameSettings(postgres, sqlite);
      const revision = await postgres.store.sectorRevision('S1');
      await postgres.app.updateRestaurant('R1', { pacing: null }, caller);
      expect(await postgres.store.sectorRevision('S1')).toBeGreaterThan(revision);
      expect((await postgres.store.restaurant('R1'))?.pacing).toBeUndefined();
      expect((await postgres.app.createBooking(AT_NOON, caller)).status).toBe(201);
    } finally {
      await postgres.close();
    }
  });

  it('a second SQLite file restored from the backup answers the same', async () => {
    const lines: string[] = [];
    for await (const line of exportLog(sqlite.store)) lines.push(line);
    const otherDir = await mkdtemp(join(tmpdir(), 'wokibrain-settings-restore-'));
    const { store } = await openStore({ store: 'sqlite', dataDir: otherDir, databaseUrl: undefined });
    try {
      await importLog(store, fromArray(lines));
      expect(await store.restaurant('R1')).toEqual(await sqlite.store.restaurant('R1'));
      expect(await store.tablesOfSector('S1')).toEqual(await sqlite.store.tablesOfSector('S1'));
    } finally {
      await store.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
