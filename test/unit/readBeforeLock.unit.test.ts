import { describe, expect, it, vi } from 'vitest';
import { readsKnowing } from '../../src/application/caches.js';
import { createBooking, readBeforeQueuing } from '../../src/application/commands/createBooking.js';
import { updateSector } from '../../src/application/commands/settings.js';
import { composeInMemory } from '../../src/compose.js';
import { isAppError } from '../../src/errors/catalogue.js';

const ADMIN = { actor: 'admin' };
const AT_EIGHT = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22', windowStart: '20:00', windowEnd: '21:00', durationMinutes: 60 };

/**
 * A create with a sector reads the restaurant and the sector before it queues on
 * the sector's lock, and lets that read stand for the one under the lock when no
 * writer of the sector has finished meanwhile. When one has, it must read again:
 * a settings change made under the lock is not something the store refuses.
 */
/** The demo, after one create in S1: the sector memo knows it, so the next create can guess its seats' span. */
async function demoWithSectorSeen() {
  const composed = composeInMemory();
  await composed.app.seedDemo(ADMIN);
  expect((await composed.app.createBooking({ ...AT_EIGHT, partySize: 2 }, ADMIN)).status).toBe(201);
  return composed;
}

describe('a create that read the sector before queuing on its lock', () => {
  it('uses that read under the lock when no writer of the sector finished meanwhile', async () => {
    const { app, store } = composeInMemory();
    await app.seedDemo(ADMIN);
    const reads = vi.spyOn(store, 'restaurantAndSector');
    expect((await app.createBooking({ ...AT_EIGHT, partySize: 2 }, ADMIN)).status).toBe(201);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('reads the sector again when a writer of the sector finished after that read, and keeps to what it wrote', async () => {
    const { app, deps, store } = composeInMemory();
    await app.seedDemo(ADMIN);
    expect((await app.createBooking({ ...AT_EIGHT, partySize: 4 }, ADMIN)).status).toBe(201);
    const reads = vi.spyOn(store, 'restaurantAndSector');
    // The create reads the sector with no pacing at once; the cap is written under the lock before the create gets it.
    const create = app.createBooking({ ...AT_EIGHT, partySize: 4 }, ADMIN);
    const capped = updateSector(deps, 'S1', { pacing: { maxCoversPerInterval: 4 } }, ADMIN);
    await capped;
    const refusal = await create.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isAppError(refusal) && refusal.code).toBe('pacing_limit');
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('checks a refusal made on that read against fresh seats: a cancel frees seats without taking the lock', async () => {
    const { app, deps } = composeInMemory();
    await app.seedDemo(ADMIN);
    // Parties of two until every table is taken for the hour.
    const hour = { ...AT_EIGHT, windowStart: '13:00', windowEnd: '14:00', partySize: 2 };
    const booked: { id: string; tableIds: string[] }[] = [];
    for (;;) {
      const made = await app.createBooking(hour, ADMIN).catch((error: unknown) => error);
      if (isAppError(made) && made.code === 'no_capacity') break;
      booked.push((made as { body: { id: string; tableIds: string[] } }).body);
    }
    expect(booked.length).toBeGreaterThan(1);
    const { early } = await readBeforeQueuing(deps, hour);
    expect(early?.seats?.blocks.length).toBeGreaterThanOrEqual(booked.length);
    await app.cancelBooking(booked[0]!.id, ADMIN);
    // Planned on the read made before the cancel, the room is full; a table is free now.
    const again = await createBooking(deps, hour, ADMIN, undefined, undefined, early);
    expect(again).toMatchObject({ status: 201, body: { tableIds: booked[0]!.tableIds } });
  });

  it('reads the seats with the sector once the sector has been seen, and nothing else under the lock', async () => {
    const { app, store } = await demoWithSectorSeen();
    const early = vi.spyOn(store, 'restaurantAndSector');
    const underLock = vi.spyOn(store, 'tablesAndSeatBlocks');
    const second = await app.createBooking({ ...AT_EIGHT, partySize: 2 }, ADMIN);
    expect(second.status).toBe(201);
    expect(early).toHaveBeenCalledTimes(1);
    expect(early.mock.calls[0]![2]).toMatchObject({ start: expect.any(Number), end: expect.any(Number) });
    expect(underLock).not.toHaveBeenCalled();
  });

  it('plans on fresh seats when a create of the same sector booked after that read', async () => {
    const { app, store } = await demoWithSectorSeen();
    const underLock = vi.spyOn(store, 'tablesAndSeatBlocks');
    const appends = vi.spyOn(store, 'append');
    // Both read the sector's seats before either holds the lock; the second must not plan on what it read.
    const [first, second] = await Promise.all([
      app.createBooking({ ...AT_EIGHT, partySize: 2 }, ADMIN),
      app.createBooking({ ...AT_EIGHT, partySize: 2 }, ADMIN),
    ]);
    expect(underLock).toHaveBeenCalledTimes(1);
    // Planned on stale seats, it would have chosen the first one's table, been refused by the store, and tried again.
    expect(appends).toHaveBeenCalledTimes(2);
    const seated = (outcome: typeof first) => (outcome.status === 201 ? outcome.body : undefined);
    expect(seated(first)).toBeDefined();
    expect(seated(second)).toBeDefined();
    const overlap = seated(first)!.tableIds.some(
      (table) =>
        seated(second)!.tableIds.includes(table) &&
        seated(first)!.start < seated(second)!.end &&
        seated(second)!.start < seated(first)!.end,
    );
    expect(overlap).toBe(false);
  });

  it('serves the seats it was given only for their sector, at its revision, over their span', async () => {
    const { app, store } = composeInMemory();
    await app.seedDemo(ADMIN);
    const { restaurant, sector } = await store.restaurantAndSector('R1', 'S1');
    const span = { start: Date.UTC(2025, 9, 22, 15), end: Date.UTC(2025, 9, 23, 3) };
    const seats = { span, tables: [], blocks: [] };
    const reads = readsKnowing(store, restaurant!, { ...sector!, seats });
    const fromStore = vi.spyOn(store, 'tablesAndSeatBlocks');
    expect(await reads.tablesAndSeatBlocks('S1', span)).toEqual({ tables: [], blocks: [] });
    expect(fromStore).not.toHaveBeenCalled();
    expect((await reads.tablesAndSeatBlocks('S1', { ...span, end: span.end + 1 })).tables.length).toBeGreaterThan(0);
    expect((await reads.restaurantAndSector('R1', 'S1', span)).seats).toBe(seats);
    expect(fromStore).toHaveBeenCalledTimes(1);
    const other = vi.spyOn(store, 'restaurantAndSector');
    await reads.restaurantAndSector('R1', 'S1', { ...span, start: span.start - 1 });
    expect(other).toHaveBeenCalledTimes(1);
  });
});
