import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_SECRET,
  DEMO,
  expectError,
  qs,
  startServer,
  type BookingBody,
  type DiscoverBody,
  type TestServer,
} from '../support/server.js';

const admin = { 'x-admin-secret': ADMIN_SECRET };

interface BlackoutBody {
  id: string;
  tableIds: string[];
  wholeSector: boolean;
  start: string;
  end: string;
  status: string;
  cancelledBookingIds?: string[];
}

describe('blackouts', () => {
  let ctx: TestServer;

  beforeAll(async () => {
    ctx = await startServer({ seed: true });
  });
  afterAll(() => ctx.close());

  const place = (body: Record<string, unknown>) => ctx.request<BlackoutBody>('POST', '/api/v1/woki/blackouts', { body, headers: admin });
  const tablesAt = async (windowStart: string, windowEnd: string, partySize = 2) => {
    const reply = await ctx.get<DiscoverBody>(
      `/api/v1/woki/discover${qs({ ...DEMO, partySize, duration: 60, windowStart, windowEnd, limit: 100 })}`,
    );
    return reply.status === 200 ? [...new Set(reply.body.candidates.flatMap((c) => c.tableIds))].sort() : [];
  };

  it('takes chosen tables out of discover, and gives them back when lifted', async () => {
    expect(await tablesAt('12:00', '13:00')).toContain('T1');
    const placed = await place({
      id: 'X1',
      ...DEMO,
      tableIds: ['T1', 'T5'],
      start: '2025-10-22T12:00:00-03:00',
      end: '2025-10-22T14:00:00-03:00',
      reason: 'repairs',
    });
    expect(placed.status, placed.text).toBe(201);
    expect(placed.body).toMatchObject({ tableIds: ['T1', 'T5'], wholeSector: false, status: 'ACTIVE', start: '2025-10-22T12:00:00-03:00' });
    expect(await tablesAt('12:00', '13:00')).not.toContain('T1');
    expect(await tablesAt('12:00', '13:00')).not.toContain('T5');

    const listed = await ctx.get<{ items: BlackoutBody[] }>(`/api/v1/woki/blackouts${qs(DEMO)}`, admin);
    expect(listed.body.items.map((b) => b.id)).toEqual(['X1']);

    expect((await ctx.request('DELETE', '/api/v1/woki/blackouts/X1', { headers: admin })).status).toBe(204);
    expect((await ctx.request('DELETE', '/api/v1/woki/blackouts/X1', { headers: admin })).status).toBe(204);
    expect(await tablesAt('12:00', '13:00')).toContain('T1');
    expect((await ctx.get<{ items: BlackoutBody[] }>(`/api/v1/woki/blackouts${qs(DEMO)}`, admin)).body.items).toEqual([]);
  });

  it('refuses a blackout over bookings with 409 listing them, unless asked to cancel them', async () => {
    const booked = await ctx.post<BookingBody>('/api/v1/woki/bookings', {
      ...DEMO,
      partySize: 6,
      durationMinutes: 60,
      windowStart: '13:00',
      windowEnd: '14:00',
    });
    expect(booked.body.tableIds).toEqual(['T4']);
    const window = { start: '2025-10-22T12:30:00-03:00', end: '2025-10-22T15:00:00-03:00' };
    const refused = await place({ id: 'X2', ...DEMO, tableIds: ['T4'], ...window });
    expectError(refused, 409, 'seats_taken');
    expect((refused.body as unknown as { bookings: string[] }).bookings).toEqual([booked.body.id]);
    expect((await ctx.get<BookingBody>(`/api/v1/woki/bookings/${booked.body.id}`)).body.status).toBe('CONFIRMED');

    const forced = await place({ id: 'X2', ...DEMO, tableIds: ['T4'], ...window, cancelConflicting: true });
    expect(forced.status, forced.text).toBe(201);
    expect(forced.body.cancelledBookingIds).toEqual([booked.body.id]);
    expect((await ctx.get<BookingBody>(`/api/v1/woki/bookings/${booked.body.id}`)).body.status).toBe('CANCELLED');
    expectError(await place({ id: 'X2', ...DEMO, tableIds: ['T4'], ...window }), 409, 'already_exists');
  });

  it('blacks out the whole sector, and a shorter blackout frees seats at once', async () => {
    const placed = await place({ id: 'X3', ...DEMO, start: '2025-10-22T20:00:00-03:00', end: '2025-10-22T20:30:00-03:00' });
    expect(placed.status, placed.text).toBe(201);
    expect(placed.body).toMatchObject({ wholeSector: true, tableIds: ['T1', 'T2', 'T3', 'T4', 'T5'] });
    expect(await tablesAt('20:00', '21:00')).toEqual([]);
    const shorter = await ctx.request<BlackoutBody>('PATCH', '/api/v1/woki/blackouts/X3', {
      body: { start: '2025-10-22T20:00:00-03:00', end: '2025-10-22T20:15:00-03:00' },
      headers: admin,
    });
    expect(shorter.status, shorter.text).toBe(200);
    expect(shorter.body.end).toBe('2025-10-22T20:15:00-03:00');
    expect(await tablesAt('20:15', '21:15')).toContain('T1');
  });

  it('refuses one blackout over another, unknown tables and bad bounds', async () => {
    const first = await place({
      id: 'X4',
      ...DEMO,
      tableIds: ['T3'],
      start: '2025-10-22T15:00:00-03:00',
      end: '2025-10-22T16:00:00-03:00',
    });
    expect(first.status).toBe(201);
    const second = await place({
      id: 'X5',
      ...DEMO,
      tableIds: ['T3'],
      start: '2025-10-22T15:30:00-03:00',
      end: '2025-10-22T16:30:00-03:00',
      cancelConflicting: true,
    });
    expectError(second, 409, 'seats_taken');
    expect((second.body as unknown as { blackouts: string[] }).blackouts).toEqual(['X4']);
    expectError(
      await place({ id: 'X6', ...DEMO, tableIds: ['NOPE'], start: '2025-10-22T15:00:00-03:00', end: '2025-10-22T16:00:00-03:00' }),
      404,
      'not_found',
    );
    expectError(
      await place({ id: 'X7', ...DEMO, start: '2025-10-22T16:00:00-03:00', end: '2025-10-22T15:00:00-03:00' }),
      400,
      'invalid_input',
    );
    expectError(
      await ctx.request('POST', '/api/v1/woki/blackouts', {
        body: { id: 'X8', ...DEMO, start: '2025-10-22T15:00:00-03:00', end: '2025-10-22T16:00:00-03:00' },
      }),
      401,
      'unauthorized',
    );
  });
});
