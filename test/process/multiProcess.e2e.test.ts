import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';
import { ADMIN_HEADERS, postJson, startServer, type ServerProcess } from '../support/serverProcess.js';
import { redisAvailable, REDIS_URL } from '../support/services.js';

const DAY = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22' };
const REQUESTS = 240;

describe('three server processes on one PostgreSQL and one Redis', () => {
  let servers: ServerProcess[] = [];
  let drop: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    if (!(await postgresAvailable()) || !(await redisAvailable())) return;
    const database = await freshDatabase();
    drop = database.drop;
    const env = { STORE: 'postgres', DATABASE_URL: database.url, REDIS_URL };
    servers.push(await startServer(env));
    servers = servers.concat(await Promise.all([startServer(env), startServer(env)]));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await drop?.();
  });

  it('never double-books under 240 concurrent creates for overlapping seats', async (context) => {
    if (servers.length === 0) return context.skip();
    // 20:00–22:00 for an hour, parties of two: T1, T3 and T5 hold two each (20:00 and 21:00); B1 keeps T2
    // from 20:30 to 21:15 and T4 seats four or more, so exactly six bookings fit.
    const body = { ...DAY, partySize: 2, durationMinutes: 60, windowStart: '20:00', windowEnd: '22:00' };
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => postJson(`${servers[i % servers.length]!.url}/woki/bookings`, body)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
    const created = responses.filter((response) => response.status === 201).map((response) => response.body);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.error === 'no_capacity')).toBe(true);

    const listing = await fetch(`${servers[0]!.url}/woki/bookings/day?${new URLSearchParams(DAY).toString()}`, { headers: ADMIN_HEADERS });
    const items = (
      (await listing.json()) as { items: { id: string; tableIds: string[]; start: string; end: string; status: string }[] }
    ).items.filter((booking) => booking.id !== 'B1' && booking.status === 'CONFIRMED');

    expect(created).toHaveLength(6);
    expect(new Set(items.map((booking) => booking.id))).toEqual(new Set(created.map((booking) => booking.id)));
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i]!;
        const b = items[j]!;
        const overlap = Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);
        expect(overlap && a.tableIds.some((t) => b.tableIds.includes(t)), `${a.id} and ${b.id} overlap`).toBe(false);
      }
    }
  }, 60_000);
});
