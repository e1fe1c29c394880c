import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqliteStore.js';
import BetterSqlite3 from 'better-sqlite3';
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
      ]);
      db.close();
      await again.close();
    } finally {
      await rm(join(opened.file, '..'), { recursive: true, force: true });
    }
  });
});
