import { afterEach, describe, expect, it } from 'vitest';
import { placeBooking, type PlacedBooking } from '../support/bookings.js';
import { discover, listDay, setupRestaurant, startServer, type TestServer } from '../support/server.js';

const TABLES = [
  { id: 'P1', minSize: 2, maxSize: 4 },
  { id: 'P2', minSize: 2, maxSize: 4 },
  { id: 'P3', minSize: 2, maxSize: 2 },
  { id: 'P4', minSize: 4, maxSize: 6 },
  { id: 'P5', minSize: 2, maxSize: 2 },
  { id: 'P6', minSize: 1, maxSize: 3 },
  { id: 'P10', minSize: 2, maxSize: 4 },
];

const base = { restaurantId: 'RO', sectorId: 'SO', date: '2025-10-22', partySize: 2 };
const BOOKINGS: PlacedBooking[] = [
  { ...base, id: 'K1', tableIds: ['P1'], start: '2025-10-22T20:00:00-03:00', durationMinutes: 60 },
  { ...base, id: 'K2', tableIds: ['P2', 'P4'], start: '2025-10-22T20:30:00-03:00', durationMinutes: 90 },
  { ...base, id: 'K3', tableIds: ['P3'], start: '2025-10-22T21:00:00-03:00', durationMinutes: 45 },
  { ...base, id: 'K4', tableIds: ['P10'], start: '2025-10-22T20:15:00-03:00', durationMinutes: 120 },
  { ...base, id: 'K5', tableIds: ['P5', 'P6'], start: '2025-10-22T22:00:00-03:00', durationMinutes: 60 },
];

/** A deterministic shuffle (seeded LCG) so that each permutation is reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function build(tableOrder: typeof TABLES, bookingOrder: PlacedBooking[]): Promise<TestServer> {
  const ctx = await startServer({ clock: { now: () => Date.parse('2025-10-01T12:00:00Z') } });
  await setupRestaurant(ctx, {
    id: 'RO',
    timezone: 'America/Argentina/Buenos_Aires',
    windows: [{ start: '19:00', end: '23:30' }],
    sectorId: 'SO',
    tables: tableOrder,
  });
  for (const booking of bookingOrder) await placeBooking(ctx.deps, booking);
  return ctx;
}

describe('insertion-order independence', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('the same tables and bookings inserted in different orders give identical discover output', async () => {
    servers.push(await build(TABLES, BOOKINGS));
    servers.push(await build([...TABLES].reverse(), [...BOOKINGS].reverse()));
    servers.push(await build(shuffled(TABLES, 7), shuffled(BOOKINGS, 11)));
    servers.push(await build(shuffled(TABLES, 42), shuffled(BOOKINGS, 3)));

    const queries = [
      { partySize: 2, duration: 60 },
      { partySize: 3, duration: 90 },
      { partySize: 4, duration: 45 },
      { partySize: 7, duration: 60 },
      { partySize: 10, duration: 120 },
      { partySize: 16, duration: 30 },
      { partySize: 2, duration: 30, windowStart: '20:00', windowEnd: '21:30' },
      { partySize: 6, duration: 60, windowStart: '21:00' },
    ];
    let nonEmpty = 0;
    for (const query of queries) {
      const replies = await Promise.all(
        servers.map((ctx) => discover(ctx, { restaurantId: 'RO', sectorId: 'SO', date: '2025-10-22', limit: 25, ...query })),
      );
      const [first, ...rest] = replies;
      for (const other of rest) {
        expect(other.status).toBe(first!.status);
        expect(other.text).toBe(first!.text);
      }
      if (first!.status === 200 && first!.body.candidates.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(6);

    const days = await Promise.all(servers.map((ctx) => listDay(ctx, 'RO', 'SO', '2025-10-22')));
    for (const day of days) expect(day.text).toBe(days[0]!.text);
    expect(days[0]!.body.items.map((b) => b.id)).toEqual(['K1', 'K4', 'K2', 'K3', 'K5']);
  });

  it('ties are broken by table ids as strings (P10 sorts before P2)', async () => {
    servers.push(await build(shuffled(TABLES, 5), []));
    const found = await discover(servers[0]!, {
      restaurantId: 'RO',
      sectorId: 'SO',
      date: '2025-10-22',
      partySize: 4,
      duration: 60,
      limit: 3,
    });
    expect(found.body.candidates.map((c) => c.tableIds)).toEqual([['P1'], ['P10'], ['P2']]);
  });
});
