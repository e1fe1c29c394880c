import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSweeper } from '../../src/adapters/runtime/sweeper.js';
import { composeFromConfig, type Composition } from '../../src/compose.js';
import type { WokiBrain } from '../../src/application/wokiBrain.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';

/**
 * The sweeper among many bookings that are not due: it expires the due holds and
 * reads no other booking, whatever the store holds. The plan test shows the query
 * behind it is an index range; this shows what the sweep as a whole touches.
 */

const MINUTE = 60_000;
const clock = {
  at: Date.parse('2025-10-01T12:00:00Z'),
  now() {
    return this.at;
  },
};
const DATES = ['2025-10-20', '2025-10-21', '2025-10-22', '2025-10-23', '2025-10-24'];
const pgReady = await postgresAvailable();

interface Opened {
  composition: Composition;
  /** A second process on the same store. */
  another(): Promise<Composition>;
  close(): Promise<void>;
}

async function openSqlite(): Promise<Opened> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-sweeper-'));
  const config = { store: 'sqlite', dataDir, databaseUrl: undefined, redisUrl: undefined, idempotencyRetentionMs: 60_000 } as const;
  const composition = await composeFromConfig(config, { clock });
  const others: Composition[] = [];
  return {
    composition,
    another: async () => others[others.push(await composeFromConfig(config, { clock })) - 1]!,
    close: async () => {
      for (const other of others) await other.close();
      await composition.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<Opened> {
  const database = await freshDatabase();
  const config = {
    store: 'postgres',
    dataDir: '.',
    databaseUrl: database.url,
    redisUrl: undefined,
    idempotencyRetentionMs: 60_000,
  } as const;
  const composition = await composeFromConfig(config, { clock });
  const others: Composition[] = [];
  return {
    composition,
    another: async () => others[others.push(await composeFromConfig(config, { clock })) - 1]!,
    close: async () => {
      for (const other of others) await other.close();
      await composition.close();
      await database.drop();
    },
  };
}

const stores = [{ name: 'sqlite', open: openSqlite }, ...(pgReady ? [{ name: 'postgres', open: openPostgres }] : [])];

describe.each(stores)('the sweeper on $name', ({ open }) => {
  let opened: Opened | undefined;

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    vi.restoreAllMocks();
  });

  it('expires the due holds and reads no booking that is not due', { timeout: 60_000 }, async () => {
    opened = await open();
    const { app, store } = opened.composition;
    const book = await holdingFloor(app);
    // Three holds made first: they are the only ones due when the sweep runs.
    const due = [];
    for (const date of DATES.slice(0, 3)) due.push((await book(date, 10)).body.id);
    // Then many bookings that are not due: confirmed ones, and holds made later.
    clock.at += 20 * MINUTE;
    const notDue: string[] = [];
    for (const date of DATES) {
      for (let index = 0; index < 40; index++) notDue.push((await book(date, 2)).body.id);
      for (let index = 0; index < 8; index++) notDue.push((await book(date, 9)).body.id);
    }
    clock.at += 15 * MINUTE;

    const read = vi.spyOn(store, 'booking');
    const lookups = vi.spyOn(store, 'expiredHolds');
    const sweeper = startSweeper(app, 5);
    try {
      for (let tries = 0; tries < 400; tries++) {
        const states = await Promise.all(due.map(async (id) => (await app.getBooking(id)).status));
        if (states.every((status) => status === 'CANCELLED')) break;
        await sleep(10);
      }
    } finally {
      sweeper.stop();
    }
    read.mockClear();
    // What the sweep read, apart from the test's own checks above: one more pass, all due holds gone.
    expect(await app.expireHolds()).toBe(0);
    expect(read).not.toHaveBeenCalled();
    expect(lookups).toHaveBeenCalled();
    for (const id of due) expect((await app.getBooking(id)).status).toBe('CANCELLED');
    for (const id of notDue.slice(0, 20)) expect((await app.getBooking(id)).status).not.toBe('CANCELLED');
    const held = await Promise.all(notDue.map(async (id) => (await app.getBooking(id)).status));
    expect(held.filter((status) => status === 'PENDING')).toHaveLength(DATES.length * 8);
  });

  it('reads, per sweep, only the bookings of the holds that are due', { timeout: 60_000 }, async () => {
    opened = await open();
    const { app, store } = opened.composition;
    const book = await holdingFloor(app);
    const due = [(await book(DATES[0]!, 10)).body.id, (await book(DATES[1]!, 10)).body.id];
    clock.at += 20 * MINUTE;
    for (const date of DATES) {
      for (let index = 0; index < 40; index++) await book(date, 2);
      for (let index = 0; index < 8; index++) await book(date, 9);
    }
    clock.at += 15 * MINUTE;

    const read = vi.spyOn(store, 'booking');
    expect(await app.expireHolds()).toBe(due.length);
    const touched = new Set(read.mock.calls.map(([id]) => id));
    expect([...touched].sort()).toEqual([...due].sort());
  });
});

describe.each(stores)('the no-show sweep on $name', ({ open }) => {
  let opened: Opened | undefined;

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    vi.restoreAllMocks();
  });

  it('marks each due no-show once, from two processes, and reads no booking that is not due', { timeout: 60_000 }, async () => {
    opened = await open();
    const { app, store } = opened.composition;
    const book = await holdingFloor(app);
    // Twelve tables: the first twelve parties of a date sit at 00:00 local, the next twelve at 01:00.
    const ids: Record<string, string[]> = {};
    for (const date of DATES.slice(0, 2)) {
      ids[date] = [];
      for (let index = 0; index < 24; index++) ids[date].push((await book(date, 2)).body.id);
    }
    // 00:15 local on the first date (UTC−3): the grace of its 00:00 parties has just run out.
    clock.at = Date.parse(`${DATES[0]}T00:15:00-03:00`);
    const due = ids[DATES[0]!]!.slice(0, 12);
    const other = await opened.another();
    const read = vi.spyOn(store, 'booking');
    const [mine, theirs] = await Promise.all([app.markDueNoShows(), other.app.markDueNoShows()]);
    expect(mine + theirs).toBe(due.length);
    expect(new Set(read.mock.calls.map(([id]) => id)).size).toBeLessThanOrEqual(due.length);
    for (const id of read.mock.calls.map(([id]) => id)) expect(due).toContain(id);
    for (const id of due) {
      expect((await app.getBooking(id)).status).toBe('NO_SHOW');
      expect((await store.readStream(`booking-${id}`)).map((event) => event.type)).toEqual(['BookingConfirmed', 'BookingMarkedNoShow']);
    }
    for (const id of [...ids[DATES[0]!]!.slice(12), ...ids[DATES[1]!]!]) expect((await app.getBooking(id)).status).toBe('CONFIRMED');
    expect(await app.markDueNoShows()).toBe(0);
  });
});

/** Restaurant RS whose parties of 8 or more are held 30 min for approval, 12 tables of 2–12; gives a booking call for it. */
async function holdingFloor(app: WokiBrain) {
  clock.at = Date.parse('2025-10-01T12:00:00Z');
  await app.registerRestaurant({
    id: 'RS',
    name: 'Sweep',
    timezone: 'America/Argentina/Buenos_Aires',
    largeGroups: { threshold: 8, holdMinutes: 30 },
  });
  await app.addSector({ id: 'SS', restaurantId: 'RS', name: 'Hall' });
  for (let index = 1; index <= 12; index++)
    await app.addTable({ id: `T${index}`, sectorId: 'SS', name: `T${index}`, minSize: 2, maxSize: 12 });
  return (date: string, partySize: number) =>
    app.createBooking({ restaurantId: 'RS', sectorId: 'SS', date, partySize, durationMinutes: 60, waitlist: false });
}
