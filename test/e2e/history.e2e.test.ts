import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBooking, DEMO, expectError, qs, startServer, type BookingBody, type DayBody, type TestServer } from '../support/server.js';

/** A clock the test moves by hand, so that "as of" instants are exact. */
const clock = {
  at: Date.parse('2025-10-01T12:00:00Z'),
  now() {
    return this.at;
  },
};

interface HistoryBody {
  bookingId: string;
  events: { position: number; version: number; type: string; recordedAt: string; actor: string; booking: BookingBody }[];
}

describe('booking history and the day as it stood', () => {
  let ctx: TestServer;
  let first: BookingBody;
  let second: BookingBody;

  beforeAll(async () => {
    ctx = await startServer({ seed: true, clock });
    clock.at = Date.parse('2025-10-01T13:00:00Z');
    first = (await createBooking(ctx, { ...DEMO, partySize: 2, durationMinutes: 60, windowStart: '12:00', windowEnd: '14:00' })).body;
    clock.at = Date.parse('2025-10-01T14:00:00Z');
    second = (await createBooking(ctx, { ...DEMO, partySize: 4, durationMinutes: 60, windowStart: '12:00', windowEnd: '14:00' })).body;
    clock.at = Date.parse('2025-10-01T15:00:00Z');
    expect((await ctx.del(`/api/v1/woki/bookings/${first.id}`)).status).toBe(204);
  });

  afterAll(() => ctx.close());

  it('lists the events of a booking oldest first, each with the booking after it', async () => {
    const reply = await ctx.get<HistoryBody>(`/api/v1/woki/bookings/${first.id}/history`);
    expect(reply.status).toBe(200);
    const { events } = reply.body;
    expect(events.map((event) => [event.type, event.version])).toEqual([
      ['BookingConfirmed', 1],
      ['BookingCancelled', 2],
    ]);
    expect(events[1]!.position).toBeGreaterThan(events[0]!.position);
    expect(events[0]!.booking.status).toBe('CONFIRMED');
    expect(events[1]!.booking.status).toBe('CANCELLED');
    expect(events[0]!.recordedAt).toBe('2025-10-01T10:00:00.000-03:00');
    expect(events[1]!.recordedAt).toBe('2025-10-01T12:00:00.000-03:00');
    expect(events[0]!.actor).toBe('admin');
    expect(events[1]!.booking.updatedAt).toBe(events[1]!.recordedAt);
  });

  it('answers 404 for the history of a booking that never existed', async () => {
    expectError(await ctx.get('/api/v1/woki/bookings/nope/history'), 404, 'not_found');
  });

  it('lists the day as it stood at each instant', async () => {
    const asOf = async (instant: string) =>
      (await ctx.get<DayBody>(`/api/v1/woki/bookings/day${qs({ ...DEMO, asOf: instant })}`)).body.items.map(
        (booking) => `${booking.id}:${booking.status}`,
      );
    expect(await asOf('2025-10-01T12:30:00Z')).toEqual(['B1:CONFIRMED']);
    expect(await asOf('2025-10-01T13:30:00Z')).toEqual([`${first.id}:CONFIRMED`, 'B1:CONFIRMED']);
    // Both start at 12:00, so the listing orders them by id.
    const byId = (a: string, b: string) => (a < b ? -1 : 1);
    expect(await asOf('2025-10-01T11:30:00-03:00')).toEqual(
      [`${first.id}:CONFIRMED`, `${second.id}:CONFIRMED`].sort(byId).concat('B1:CONFIRMED'),
    );
    expect(await asOf('2025-10-01T15:00:00Z')).toEqual(
      [`${first.id}:CANCELLED`, `${second.id}:CONFIRMED`].sort(byId).concat('B1:CONFIRMED'),
    );
    const now = (await ctx.get<DayBody>(`/api/v1/woki/bookings/day${qs(DEMO)}`)).body.items.map((b) => `${b.id}:${b.status}`);
    expect(now).toEqual(await asOf('2030-01-01T00:00:00Z'));
  });

  it('refuses an asOf that is not an instant with an offset', async () => {
    expectError(await ctx.get(`/api/v1/woki/bookings/day${qs({ ...DEMO, asOf: 'yesterday' })}`), 400, 'invalid_input');
    expectError(await ctx.get(`/api/v1/woki/bookings/day${qs({ ...DEMO, asOf: '2025-10-01T12:00:00' })}`), 400, 'invalid_input');
  });
});
