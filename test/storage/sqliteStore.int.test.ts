import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqliteStore.js';
import BetterSqlite3 from 'better-sqlite3';
import { LONG_SEAT_MS } from '../../src/application/ports/readModel.js';
import { MIGRATIONS } from '../../src/adapters/sqlite/migrations.js';
import { describeAccessConformance } from './accessConformance.js';
import { describeStoreConformance } from './storeConformance.js';

async function openInTemporaryDir() {
  const dir = await mkdtemp(join(tmpdir(), 'wokibrain-sqlite-'));
  const file = join(dir, 'wokibrain.sqlite');
  const store = SqliteStore.open(file);
  return {
    store,
    file,
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describeStoreConformance('SqliteStore', openInTemporaryDir);
describeAccessConformance('SqliteStore', openInTemporaryDir);

describe('SqliteStore specifics', () => {
  it('refuses overlapping seat rows in the database itself, whoever writes them', async () => {
    const opened = await openInTemporaryDir();
    try {
      const db = new BetterSqlite3(opened.file);
      const insert = db.prepare('INSERT INTO booking_seats (booking_id, table_id, sector_id, start_ms, end_ms) VALUES (?, ?, ?, ?, ?)');
      insert.run('a', 'T1', 'S1', 1000, 2000);
      insert.run('b', 'T1', 'S1', 2000, 3000); // touching is fine
      insert.run('c', 'T2', 'S1', 1500, 2500); // another table is fine
      expect(() => insert.run('d', 'T1', 'S1', 1999, 2001)).toThrow(/seat_conflict/);
      db.close();
    } finally {
      await opened.close();
    }
  });

  it('keeps its schema version when opened again', async () => {
    const opened = await openInTemporaryDir();
    try {
      await opened.store.close();
      const again = SqliteStore.open(opened.file);
      const db = new BetterSqlite3(opened.file, { readonly: true });
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
        { version: 5 },
        { version: 6 },
        { version: 7 },
        { version: 8 },
        { version: 9 },
        { version: 10 },
        { version: 11 },
        { version: 12 },
        { version: 13 },
      ]);
      db.close();
      await again.close();
    } finally {
      await rm(join(opened.file, '..'), { recursive: true, force: true });
    }
  });

  it('upgrades a database made before the bounded reads, its seats and holds read and guarded as before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wokibrain-sqlite-'));
    const file = join(dir, 'wokibrain.sqlite');
    try {
      const old = new BetterSqlite3(file);
      old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      for (const migration of MIGRATIONS.filter((m) => m.version <= 6)) {
        old.exec(migration.sql);
        old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
      }
      const seat = old.prepare('INSERT INTO booking_seats (booking_id, table_id, sector_id, start_ms, end_ms) VALUES (?, ?, ?, ?, ?)');
      seat.run('B1', 'T1', 'S1', 1_000_000, 1_000_000 + 3_600_000);
      seat.run('blackout:X1', 'T2', 'S1', 0, 10 * LONG_SEAT_MS);
      old
        .prepare(
          `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
           VALUES ('H1', 'R1', 'S1', '2025-10-22', 'PENDING', 0, 1, 1, json_object('holdExpiresAt', 500))`,
        )
        .run();
      old.close();

      const store = SqliteStore.open(file);
      try {
        const blocks = await store.seatBlocks('S1', { start: 5 * LONG_SEAT_MS, end: 5 * LONG_SEAT_MS + 1 });
        expect(blocks.map((block) => block.tableId)).toEqual(['T2']);
        expect((await store.seatBlocks('S1', { start: 1_000_000, end: 1_000_001 })).map((block) => block.tableId).sort()).toEqual([
          'T1',
          'T2',
        ]);
        expect(await store.expiredHolds(500, 10)).toEqual(['H1']);
      } finally {
        await store.close();
      }
      const db = new BetterSqlite3(file);
      expect(() => seatIn(db, 'T2', 6 * LONG_SEAT_MS)).toThrow(/seat_conflict/);
      expect(() => seatIn(db, 'T1', 1_000_000 + 1_800_000)).toThrow(/seat_conflict/);
      seatIn(db, 'T1', 1_000_000 + 3_600_000);
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses, in one probe, exactly the seat rows that overlap one already on the table', async () => {
    const opened = await openInTemporaryDir();
    const db = new BetterSqlite3(opened.file);
    try {
      const put = db.prepare('INSERT INTO booking_seats VALUES (?, ?, ?, ?, ?)');
      const day = 86_400_000;
      const rows: [string, number, number][] = [
        ['A', 0, 10],
        ['B', 20, 30],
        ['C', 40, 50],
        ['LONG', 1_000, 1_000 + 3 * day],
        ['AFTER', 1_000 + 3 * day, 1_000 + 3 * day + 60],
      ];
      for (const [id, start, end] of rows) put.run(id, 'T1', 'S1', start, end);
      const refused = (start: number, end: number) => {
        try {
          put.run(`N-${start}-${end}`, 'T1', 'S1', start, end);
          db.prepare('DELETE FROM booking_seats WHERE booking_id = ?').run(`N-${start}-${end}`);
          return false;
        } catch (error) {
          expect(String(error)).toMatch(/seat_conflict/);
          return true;
        }
      };
      // Over the first, a middle and the last short row; across two; inside the long one, days after it began.
      for (const [start, end] of [
        [5, 6],
        [0, 10],
        [25, 26],
        [9, 21],
        [-5, 1],
        [45, 60],
        [1_000 + 2 * day, 1_000 + 2 * day + 5],
        [900, 1_001],
      ]) {
        expect(refused(start!, end!), `[${start}, ${end})`).toBe(true);
      }
      // In the gaps, touching the ends, on another table, after everything.
      for (const [start, end] of [
        [10, 20],
        [30, 40],
        [50, 1_000],
        [1_000 + 3 * day + 60, 1_000 + 4 * day],
      ]) {
        expect(refused(start!, end!), `[${start}, ${end})`).toBe(false);
      }
      put.run('OTHER', 'T2', 'S1', 5, 6);
      // An empty row overlaps nothing, and does not hide the row before it.
      put.run('EMPTY', 'T1', 'S1', 35, 35);
      expect(refused(25, 36)).toBe(true);
      expect(refused(31, 39)).toBe(false);
    } finally {
      db.close();
      await opened.store.close();
    }
  });
});

function seatIn(db: BetterSqlite3.Database, tableId: string, start: number): void {
  db.prepare('INSERT INTO booking_seats VALUES (?, ?, ?, ?, ?)').run(`B-${start}`, tableId, 'S1', start, start + 3_600_000);
}
