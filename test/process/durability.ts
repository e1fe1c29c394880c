import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADERS, postJson, startServer, type ServerProcess } from '../support/serverProcess.js';

export interface StoreUnderTest {
  /** Environment that points a server at one empty store, kept across restarts. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

interface BookingBody {
  id: string;
  tableIds: string[];
  start: string;
  end: string;
  status: string;
}

const DAY = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22' };

function createBody(partySize: number, windowStart: string) {
  return { ...DAY, partySize, durationMinutes: 30, windowStart, windowEnd: '23:45' };
}

async function listDay(server: ServerProcess): Promise<BookingBody[]> {
  const query = new URLSearchParams(DAY).toString();
  const response = await fetch(`${server.url}/api/v1/woki/bookings/day?${query}`, { headers: ADMIN_HEADERS });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: BookingBody[] }).items;
}

function overlappingPairs(bookings: BookingBody[]): string[] {
  const seatTaking = bookings.filter((b) => b.status === 'CONFIRMED');
  const pairs: string[] = [];
  for (let i = 0; i < seatTaking.length; i++) {
    for (let j = i + 1; j < seatTaking.length; j++) {
      const a = seatTaking[i]!;
      const b = seatTaking[j]!;
      const shared = a.tableIds.some((t) => b.tableIds.includes(t));
      if (shared && Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end)) {
        pairs.push(`${a.id}~${b.id}`);
      }
    }
  }
  return pairs;
}

/** Restart and crash behaviour, the same for every durable store. */
export function describeDurability(name: string, open: () => Promise<StoreUnderTest | null>): void {
  describe(`${name}: durability across restarts and crashes`, () => {
    let store: StoreUnderTest | null = null;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.cleanup();
    });

    it('keeps bookings and idempotency keys across a restart', async (context) => {
      if (!store) return context.skip();
      const first = await startServer(store.env);
      const created = await postJson(`${first.url}/woki/bookings`, createBody(2, '12:00'), { 'idempotency-key': 'restart-key' });
      expect(created.status).toBe(201);
      await first.stop();

      const second = await startServer(store.env);
      try {
        const replay = await postJson(`${second.url}/woki/bookings`, createBody(2, '12:00'), { 'idempotency-key': 'restart-key' });
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.body).toEqual(created.body);
        const fetched = await fetch(`${second.url}/woki/bookings/${String(created.body.id)}`, { headers: ADMIN_HEADERS });
        // The manage token is in the create answer (and its replays) only.
        const { manageToken, ...booking } = created.body;
        expect(manageToken).toEqual(expect.any(String));
        expect(await fetched.json()).toEqual(booking);
        const mismatch = await postJson(`${second.url}/woki/bookings`, createBody(3, '12:00'), { 'idempotency-key': 'restart-key' });
        expect(mismatch.status).toBe(422);
        expect(mismatch.body.error).toBe('idempotency_key_reused');
      } finally {
        await second.stop();
      }
    });

    it('loses no acknowledged booking and keeps nothing half-written when killed with SIGKILL', async (context) => {
      if (!store) return context.skip();
      const server = await startServer(store.env);
      const acknowledged: BookingBody[] = [];
      let stop = false;
      // Eight clients book small parties back to back across the afternoon and evening.
      const clients = Array.from({ length: 8 }, async (_, client) => {
        for (let i = 0; !stop; i++) {
          const windowStart = client % 2 === 0 ? '12:00' : '20:00';
          try {
            const response = await postJson(`${server.url}/woki/bookings`, createBody(2 + (i % 3), windowStart));
            if (response.status === 201) acknowledged.push(response.body as unknown as BookingBody);
          } catch {
            return; // the connection died with the server
          }
        }
      });
      while (acknowledged.length < 15) await new Promise((resolve) => setTimeout(resolve, 5));
      await server.kill();
      stop = true;
      await Promise.all(clients);

      const restarted = await startServer(store.env);
      try {
        const listed = await listDay(restarted);
        const byId = new Map(listed.map((booking) => [booking.id, booking]));
        for (const booking of acknowledged) {
          expect(byId.get(booking.id), `acknowledged booking ${booking.id} is missing`).toMatchObject({
            tableIds: booking.tableIds,
            start: booking.start,
            end: booking.end,
            status: 'CONFIRMED',
          });
        }
        expect(overlappingPairs(listed)).toEqual([]);
        // Every listed booking has its event: nothing exists in a projection alone.
        for (const booking of listed) {
          const history = await fetch(`${restarted.url}/woki/bookings/${booking.id}/history`, { headers: ADMIN_HEADERS });
          expect(history.status).toBe(200);
          const events = ((await history.json()) as { events: { type: string }[] }).events;
          expect(events[0]?.type).toBe('BookingConfirmed');
        }
      } finally {
        await restarted.stop();
      }
    });
  });
}
