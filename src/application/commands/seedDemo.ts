import type { Booking } from '../../domain/bookings/booking.js';
import { boundaryInstant } from '../../domain/time/zone.js';
import type { SeedResult } from '../contracts/setup.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { isAppError } from '../../errors/catalogue.js';
import type { DomainEvent } from '../ports/eventStore.js';
import { createEntity } from './setup.js';

const ZONE = 'America/Argentina/Buenos_Aires';

/** The demo restaurant of SPEC §1, as events. */
function demoEvents(now: number): { label: string; event: DomainEvent; exists: (deps: Dependencies) => Promise<unknown> }[] {
  const audit = { createdAt: now, updatedAt: now };
  const restaurant = {
    id: 'R1',
    name: 'Bistro Central',
    timezone: ZONE,
    windows: [
      { start: '12:00', end: '16:00' },
      { start: '20:00', end: '23:45' },
    ],
    durationRange: { min: 30, max: 180 },
    ...audit,
  };
  const tables = [
    ['T1', 2, 2],
    ['T2', 2, 4],
    ['T3', 2, 4],
    ['T4', 4, 6],
    ['T5', 2, 2],
  ] as const;
  const start = boundaryInstant(ZONE, '2025-10-22', 20 * 60 + 30, 'start');
  const booking: Booking = {
    id: 'B1',
    restaurantId: 'R1',
    sectorId: 'S1',
    date: '2025-10-22',
    tableIds: ['T2'],
    partySize: 3,
    start,
    end: start + 45 * 60_000,
    durationMinutes: 45,
    status: 'CONFIRMED',
    ...audit,
  };
  return [
    {
      label: 'restaurant R1',
      event: { type: 'RestaurantRegistered', data: { restaurant } },
      exists: (deps) => deps.reads.restaurant('R1'),
    },
    {
      label: 'sector S1',
      event: { type: 'SectorAdded', data: { sector: { id: 'S1', restaurantId: 'R1', name: 'Main Hall', ...audit } } },
      exists: (deps) => deps.reads.sector('S1'),
    },
    ...tables.map(([id, minSize, maxSize]) => ({
      label: `table ${id}`,
      event: { type: 'TableAdded' as const, data: { table: { id, sectorId: 'S1', name: id, minSize, maxSize, ...audit } } },
      exists: (deps: Dependencies) => deps.reads.table(id),
    })),
    { label: 'booking B1', event: { type: 'BookingConfirmed', data: { booking } }, exists: (deps) => deps.reads.booking('B1') },
  ];
}

/** Loads whatever part of the demo data is missing; what exists is left as it is. */
export async function seedDemo(deps: Dependencies, caller: Caller): Promise<SeedResult> {
  const result: SeedResult = { created: [], existing: [] };
  for (const { label, event, exists } of demoEvents(deps.clock.now())) {
    try {
      await createEntity(deps, caller, event, label, () => exists(deps));
      result.created.push(label);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'already_exists') throw error;
      result.existing.push(label);
    }
  }
  return result;
}
