import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeOn, openStore, type Store } from '../../src/compose.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';
import { DEMO } from '../support/server.js';

const postgres = await postgresAvailable();

/**
 * The store as a process sees it that dies right after its create's events commit:
 * any write of the idempotency answer made apart from them is lost.
 */
function diesAfterAppend(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'complete') return async () => {};
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The store as a process sees it whose append commits but whose acknowledgement is lost on the way back (a dropped connection). */
function losesAcknowledgement(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (property === 'append')
        return async (...args: Parameters<Store['append']>) => {
          await target.append(...args);
          throw new Error('connection reset after the commit');
        };
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const CREATE = { ...DEMO, partySize: 2, durationMinutes: 60 };
/** Past the lease of an unfinished claim (30 s), after which a retry may claim the key again. */
const LEASE_LAPSED_MS = 31_000;

describe.each([
  { name: 'memory', skip: false },
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: !postgres },
])('an Idempotency-Key create on $name that fails once its booking has committed', ({ name, skip }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function opened(): Promise<Store> {
    if (name === 'memory') return (await openStore({ store: 'memory', dataDir: '.', databaseUrl: undefined })).store;
    if (name === 'sqlite') {
      const dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-idem-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const { store } = await openStore({ store: 'sqlite', dataDir, databaseUrl: undefined });
      cleanups.push(() => store.close());
      return store;
    }
    const database = await freshDatabase();
    cleanups.push(() => database.drop());
    const { store } = await openStore({ store: 'postgres', dataDir: '.', databaseUrl: database.url });
    cleanups.push(() => store.close());
    return store;
  }

  it.skipIf(skip)('a retry after the claim lapsed replays the booking made, and books nothing twice', async () => {
    const store = await opened();
    let now = Date.UTC(2025, 9, 20, 12);
    const clock = { now: () => now };
    const dying = composeOn(diesAfterAppend(store), name, { clock });
    await dying.app.seedDemo({ actor: 'test' });
    const dayQuery = { restaurantId: DEMO.restaurantId, sectorId: DEMO.sectorId, date: DEMO.date };
    const seeded = (await dying.app.listDay(dayQuery, { actor: 'test' })).items.length;
    const booked = await dying.app.createBooking(CREATE, { actor: 'test' }, 'crash-retry-1');

    now += LEASE_LAPSED_MS;
    const restarted = composeOn(store, name, { clock });
    const retried = await restarted.app.createBooking(CREATE, { actor: 'test' }, 'crash-retry-1');
    expect(retried).toMatchObject({ status: 201, replayed: true, body: { id: booked.body.id } });
    expect((await restarted.app.listDay(dayQuery, { actor: 'test' })).items).toHaveLength(seeded + 1);
  });

  it.skipIf(skip)('a create whose booking committed but whose call failed keeps its answer: the retry replays it', async () => {
    const store = await opened();
    const clock = { now: () => Date.UTC(2025, 9, 20, 12) };
    const healthy = composeOn(store, name, { clock });
    await healthy.app.seedDemo({ actor: 'test' });
    const dayQuery = { restaurantId: DEMO.restaurantId, sectorId: DEMO.sectorId, date: DEMO.date };
    const seeded = (await healthy.app.listDay(dayQuery, { actor: 'test' })).items.length;
    const failing = composeOn(losesAcknowledgement(store), name, { clock });
    await expect(failing.app.createBooking(CREATE, { actor: 'test' }, 'lost-ack-1')).rejects.toThrow(/connection reset/);

    const retried = await healthy.app.createBooking(CREATE, { actor: 'test' }, 'lost-ack-1');
    expect(retried).toMatchObject({ status: 201, replayed: true });
    expect((await healthy.app.listDay(dayQuery, { actor: 'test' })).items).toHaveLength(seeded + 1);
  });
});
