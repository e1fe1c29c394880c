import { describe, expect, it, vi } from 'vitest';
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
});
