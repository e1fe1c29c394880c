import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { streams, type EventStore, type PendingEvent, type StoredEvent } from '../../src/application/ports/eventStore.js';
import type { SubscriptionStore } from '../../src/application/ports/eventSubscriptions.js';
import { openPostgresStore } from '../../src/adapters/postgres/openPostgresStore.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqliteStore.js';
import { POSTGRES_URL } from './services.js';

/** One empty store shared by this test process and subscriber processes, plus a scratch directory. */
export interface SubscriptionRig {
  store: EventStore & SubscriptionStore;
  /** Points a subscriber process (test/process/subscriberProcess.ts) at the same store. */
  env: Record<string, string>;
  dir: string;
  /** Appends `count` events in appends of up to 20; returns them as stored. */
  appendEvents(count: number): Promise<StoredEvent[]>;
  cleanup(): Promise<void>;
}

export async function postgresRig(): Promise<SubscriptionRig> {
  const schema = `wokibrain_test_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresStore({ connectionString: POSTGRES_URL, schema });
  const dir = await mkdtemp(join(tmpdir(), 'wokibrain-subscribers-'));
  return rig(store, dir, { SUBSCRIBER_STORE: 'postgres', DATABASE_URL: POSTGRES_URL, PG_SCHEMA: schema }, async () => {
    await store.close();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });
}

export async function sqliteRig(): Promise<SubscriptionRig> {
  const dir = await mkdtemp(join(tmpdir(), 'wokibrain-subscribers-'));
  const file = join(dir, 'wokibrain.sqlite');
  const store = SqliteStore.open(file);
  return rig(store, dir, { SUBSCRIBER_STORE: 'sqlite', SQLITE_FILE: file }, () => store.close());
}

function rig(
  store: EventStore & SubscriptionStore,
  dir: string,
  env: Record<string, string>,
  closeStore: () => Promise<void>,
): SubscriptionRig {
  let next = 0;
  return {
    store,
    env,
    dir,
    appendEvents: async (count) => {
      const stored: StoredEvent[] = [];
      while (stored.length < count) {
        const pending = Array.from({ length: Math.min(20, count - stored.length) }, () => registration(`R${++next}`));
        stored.push(...(await store.append(pending, { actor: 'test' }, Date.now())));
      }
      return stored;
    },
    cleanup: async () => {
      await closeStore();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function registration(id: string): PendingEvent {
  const restaurant = {
    id,
    name: id,
    timezone: 'UTC',
    windows: [{ start: '12:00', end: '23:00' }],
    durationRange: { min: 30, max: 180 },
    createdAt: 0,
    updatedAt: 0,
  };
  return { stream: streams.restaurant(id), expectedVersion: 'none', event: { type: 'RestaurantRegistered', data: { restaurant } } };
}
