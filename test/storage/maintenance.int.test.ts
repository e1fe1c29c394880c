import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLog, importLog } from '../../src/application/maintenance/backup.js';
import type { RebuildProgress } from '../../src/application/ports/eventStore.js';
import { composeFromConfig, openStore, type Composition, type Store } from '../../src/compose.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';

const caller = { actor: 'test' };
const PROJECTIONS = ['restaurants', 'sectors', 'tables', 'bookings', 'booking_seats', 'blackouts', 'waitlist'];

async function* fromArray(lines: string[]) {
  yield* lines;
}

/** Every projection row, in a fixed order: what a rebuild must reproduce exactly. */
type Dump = () => Promise<Record<string, unknown[]>>;

interface Target {
  /** A fresh, empty store of this kind, and how to read its projections. */
  open(): Promise<{ store: Store; dump: Dump; close(): Promise<void> }>;
  cleanup(): Promise<void>;
}

function sqliteTarget(): Target {
  const dirs: string[] = [];
  return {
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'wokibrain-maintenance-'));
      dirs.push(dir);
      const { store } = await openStore({ store: 'sqlite', dataDir: dir, databaseUrl: undefined });
      const db = new BetterSqlite3(join(dir, 'wokibrain.sqlite'), { readonly: true });
      const dump: Dump = async () => ({
        ...Object.fromEntries(PROJECTIONS.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()])),
        indexes: db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`).all(),
      });
      return {
        store,
        dump,
        close: async () => {
          db.close();
          await store.close();
        },
      };
    },
    cleanup: async () => {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

function postgresTarget(): Target {
  const databases: { drop(): Promise<void> }[] = [];
  return {
    async open() {
      const database = await freshDatabase();
      databases.push(database);
      const { store } = await openStore({ store: 'postgres', dataDir: '', databaseUrl: database.url });
      const pool = new pg.Pool({ connectionString: database.url, max: 1 });
      const dump: Dump = async () => {
        const out: Record<string, unknown[]> = {};
        for (const table of PROJECTIONS) out[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
        out.indexes = (await pool.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)).rows;
        return out;
      };
      return {
        store,
        dump,
        close: async () => {
          await pool.end();
          await store.close();
        },
      };
    },
    cleanup: async () => {
      await Promise.all(databases.map((database) => database.drop()));
    },
  };
}

describe.each([
  ['sqlite', sqliteTarget, async () => true],
  ['postgres', postgresTarget, postgresAvailable],
] as const)('resumable maintenance on %s', (name, makeTarget, available) => {
  let target: Target;
  let source: Composition;
  let sourceDir = '';
  let lines: string[] = [];
  let enabled = false;

  beforeAll(async () => {
    enabled = await available();
    if (!enabled) return;
    target = makeTarget();
    // The log comes from the application: setup, bookings over two days, some cancelled.
    sourceDir = await mkdtemp(join(tmpdir(), 'wokibrain-maintenance-source-'));
    source = await composeFromConfig({
      store: 'sqlite',
      dataDir: sourceDir,
      databaseUrl: undefined,
      redisUrl: undefined,
      idempotencyRetentionMs: 60_000,
    });
    await source.app.seedDemo(caller);
    let made = 0;
    for (const date of ['2025-10-22', '2025-10-23']) {
      for (const [index, windowStart] of ['12:00', '12:30', '13:00', '20:00', '20:30', '21:00'].entries()) {
        for (const partySize of [2, 4, 6]) {
          const created = await source.app.createBooking(
            { restaurantId: 'R1', sectorId: 'S1', date, partySize, durationMinutes: 60 + 15 * (index % 3), windowStart },
            caller,
          );
          if (created.status !== 201) continue;
          if (++made % 4 === 0) await source.app.cancelBooking(created.body.id, caller);
        }
      }
    }
    for await (const line of exportLog(source.store)) lines.push(line);
  }, 60_000);

  afterAll(async () => {
    if (!enabled) return;
    await source.close();
    await rm(sourceDir, { recursive: true, force: true });
    await target.cleanup();
    lines = [];
  });

  it('resumes an interrupted restore, and the result equals an uninterrupted one', async ({ skip }) => {
    if (!enabled) return skip();
    const events = lines.length - 1;
    expect(events).toBeGreaterThan(40);
    const whole = await target.open();
    const resumed = await target.open();
    try {
      expect(await importLog(whole.store, fromArray(lines))).toBe(events);

      // Stopped after two batches of 10, as a crash would leave it.
      const first: number[] = [];
      await importLog(resumed.store, fromArray(lines), { batchEvents: 10, stopAfterBatches: 2, onProgress: (p) => first.push(p.done) });
      expect(first).toHaveLength(2);
      expect(await resumed.store.unfinishedJob!()).toMatchObject({ kind: 'restore' });
      await expect(resumed.store.ping()).rejects.toThrow(/restore is unfinished/);
      const held = await resumed.store.lastPosition!();
      expect(held).toBeGreaterThanOrEqual(20);
      expect(held).toBeLessThan(events);

      // Another backup is refused; the same one goes on after what the store holds.
      const other = [lines[0]!, ...lines.slice(1).map((line) => line.replace(/"stream":"[^"]+"/, '"stream":"elsewhere"'))];
      await expect(importLog(resumed.store, fromArray(other))).rejects.toThrow(/not the one being restored/);
      const second: number[] = [];
      expect(await importLog(resumed.store, fromArray(lines), { batchEvents: 10, onProgress: (p) => second.push(p.done) })).toBe(events);
      expect(second[0]).toBeGreaterThan(held);
      expect(await resumed.store.unfinishedJob!()).toBeNull();
      await resumed.store.ping();

      expect(await resumed.store.readAll(0, 1_000_000)).toEqual(await whole.store.readAll(0, 1_000_000));
      expect(await resumed.dump()).toEqual(await whole.dump());
      // Whatever a restore drops while it loads, it builds again: the indexes are those of a fresh store.
      const fresh = await target.open();
      expect((await resumed.dump()).indexes).toEqual((await fresh.dump()).indexes);
      await fresh.close();
      await expect(importLog(resumed.store, fromArray(lines))).rejects.toThrow(/empty store/);
    } finally {
      await whole.close();
      await resumed.close();
    }
  });

  it('resumes an interrupted rebuild where it stopped, and the result equals a full rebuild', async ({ skip }) => {
    if (!enabled) return skip();
    const opened = await target.open();
    try {
      await importLog(opened.store, fromArray(lines));
      const asRestored = await opened.dump();
      const full: RebuildProgress[] = [];
      await opened.store.rebuildProjections({ batchEvents: 10, onProgress: (p) => full.push(p) });
      expect(full.at(-1)).toEqual({ done: lines.length - 1, total: lines.length - 1 });
      const rebuilt = await opened.dump();
      expect(rebuilt).toEqual(asRestored);

      // Interrupted after three batches: the job records how far it came, readiness fails,
      // and the projections hold only part of the log.
      await opened.store.rebuildProjections({ batchEvents: 10, stopAfterBatches: 3 });
      const job = await opened.store.unfinishedJob!();
      expect(job).toMatchObject({ kind: 'rebuild', total: lines.length - 1 });
      expect(job!.done).toBeGreaterThanOrEqual(30);
      await expect(opened.store.ping()).rejects.toThrow(/rebuild is unfinished/);
      expect(await opened.dump()).not.toEqual(rebuilt);

      // The rerun goes on from the checkpoint rather than starting over.
      const resumed: RebuildProgress[] = [];
      await opened.store.rebuildProjections({ batchEvents: 10, onProgress: (p) => resumed.push(p) });
      expect(resumed[0]!.done).toBeGreaterThan(job!.done);
      expect(resumed.length).toBeLessThan(full.length);
      expect(await opened.store.unfinishedJob!()).toBeNull();
      await opened.store.ping();
      expect(await opened.dump()).toEqual(rebuilt);
    } finally {
      await opened.close();
    }
  });

  it('purges expired idempotency records in bounded batches and keeps the live ones', async ({ skip }) => {
    if (!enabled) return skip();
    const opened = await target.open();
    try {
      const { store } = opened;
      const now = 1_000_000;
      for (let index = 0; index < 9; index++) {
        const expiresAt = index < 7 ? now - index : now + 1000;
        await store.claim({ scope: 'c', key: `k${index}`, payloadHash: 'h', now: now - 100, expiresAt, leaseUntil: now + 10 });
        if (index % 2 === 0) await store.complete('c', `k${index}`, { status: 201, body: { id: `b${index}` } });
      }
      const batches: number[] = [];
      expect(await store.purgeExpired(now, { batchSize: 3, onBatch: (deleted) => batches.push(deleted) })).toBe(7);
      expect(batches).toEqual([3, 3, 1]);
      expect(await store.purgeExpired(now, { batchSize: 3 })).toBe(0);
      expect(await store.claim({ scope: 'c', key: 'k8', payloadHash: 'h', now, expiresAt: now + 1, leaseUntil: now + 1 })).toEqual({
        outcome: 'completed',
        response: { status: 201, body: { id: 'b8' } },
      });
      expect(await store.claim({ scope: 'c', key: 'k7', payloadHash: 'h', now, expiresAt: now + 1, leaseUntil: now + 1 })).toEqual({
        outcome: 'in_progress',
      });
      expect(await store.claim({ scope: 'c', key: 'k0', payloadHash: 'x', now, expiresAt: now + 1, leaseUntil: now + 1 })).toEqual({
        outcome: 'claimed',
      });
    } finally {
      await opened.close();
    }
  });

  it(`stores idempotent responses compressed on ${name}, and still reads records written before`, async ({ skip }) => {
    if (!enabled) return skip();
    const opened = await target.open();
    try {
      const { store } = opened;
      const response = { status: 201, body: { id: 'bk_1', restaurantId: 'R1', status: 'CONFIRMED', tableIds: ['T1', 'T2'] } };
      await store.claim({ scope: 'c', key: 'new', payloadHash: 'h', now: 1, expiresAt: 1e12, leaseUntil: 1e12 });
      await store.complete('c', 'new', response);
      expect(await store.claim({ scope: 'c', key: 'new', payloadHash: 'h', now: 2, expiresAt: 1e12, leaseUntil: 1e12 })).toEqual({
        outcome: 'completed',
        response,
      });
      const legacyHash = 'ab'.repeat(32);
      const raw = await rawIdempotency(name, store);
      const stored = await raw.storedResponse('new');
      expect(stored.length).toBeLessThan(JSON.stringify(response).length);
      // A record as the previous version wrote it: hex hash, JSON response.
      await raw.insertLegacy('old', legacyHash, JSON.stringify(response));
      const base64url = Buffer.from(legacyHash, 'hex').toString('base64url');
      expect(await store.claim({ scope: 'c', key: 'old', payloadHash: base64url, now: 2, expiresAt: 1e12, leaseUntil: 1e12 })).toEqual({
        outcome: 'completed',
        response,
      });
      expect(await store.claim({ scope: 'c', key: 'old', payloadHash: 'other', now: 2, expiresAt: 1e12, leaseUntil: 1e12 })).toEqual({
        outcome: 'mismatch',
      });
      await raw.close();
    } finally {
      await opened.close();
    }
  });
});

/** Reaches under the store to see how a record is kept, and to write one as the previous version did. */
async function rawIdempotency(name: 'sqlite' | 'postgres', store: Store) {
  if (name === 'postgres') {
    const pool = (store as unknown as { pool: pg.Pool }).pool;
    return {
      storedResponse: async (key: string) =>
        (await pool.query<{ response_z: Buffer }>('SELECT response_z FROM idempotency WHERE key = $1', [key])).rows[0]!.response_z,
      insertLegacy: async (key: string, hash: string, response: string) => {
        await pool.query(
          `INSERT INTO idempotency (scope, key, payload_hash, response, expires_at, lease_until) VALUES ('c', $1, $2, $3, 1e12, 1e12)`,
          [key, hash, response],
        );
      },
      close: async () => {},
    };
  }
  const db = (store as unknown as { db: BetterSqlite3.Database }).db;
  return {
    storedResponse: async (key: string) => {
      const row = db.prepare('SELECT response, typeof(response) AS kind FROM idempotency WHERE key = ?').get(key) as {
        response: Buffer;
        kind: string;
      };
      expect(row.kind).toBe('blob');
      return row.response;
    },
    insertLegacy: async (key: string, hash: string, response: string) => {
      db.prepare(
        `INSERT INTO idempotency (scope, key, payload_hash, response, expires_at, lease_until) VALUES ('c', ?, ?, ?, 1e12, 1e12)`,
      ).run(key, hash, response);
    },
    close: async () => {},
  };
}
