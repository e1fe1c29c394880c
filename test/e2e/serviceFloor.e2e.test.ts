import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper } from '../../src/adapters/runtime/sweeper.js';
import { expectError, qs, startServer, type BookingBody, type DiscoverBody, type TestServer } from '../support/server.js';

/** Buenos Aires is UTC−3 all year: 19:00 local is 22:00Z. */
const DATE = '2025-11-03';
const local = (time: string) => Date.parse(`${DATE}T${time}:00-03:00`);
const clock = {
  at: local('18:00'),
  now() {
    return this.at;
  },
};

type Floor = BookingBody & {
  source?: string;
  seatedAt?: string;
  seatedUntil?: string;
  finishedAt?: string;
  noShowAt?: string;
  noShowAutomatic?: boolean;
};

describe('the service floor', () => {
  let ctx: TestServer;
  let sector = 0;

  /** A sector of its own for each test, with the tables given (`[id, min, max]`). */
  async function sectorWith(...tables: [string, number, number][]): Promise<string> {
    const id = `SF${++sector}`;
    expect((await ctx.admin('/api/v1/admin/sectors', { id, restaurantId: 'RF', name: id })).status).toBe(201);
    for (const [table, minSize, maxSize] of tables) {
      expect((await ctx.admin('/api/v1/admin/tables', { id: `${id}-${table}`, sectorId: id, minSize, maxSize })).status).toBe(201);
    }
    return id;
  }

  const book = async (sectorId: string, windowStart: string, windowEnd: string, partySize = 2) => {
    const reply = await ctx.post<Floor>('/api/v1/woki/bookings', {
      restaurantId: 'RF',
      sectorId,
      date: DATE,
      partySize,
      durationMinutes: windowDuration(windowStart, windowEnd),
      windowStart,
      windowEnd,
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  };
  const step = (id: string, what: string, body?: unknown) => ctx.post<Floor>(`/api/v1/woki/bookings/${id}/${what}`, body ?? {});
  const firstStart = async (sectorId: string, duration = 60) => {
    const reply = await ctx.get<DiscoverBody>(
      `/api/v1/woki/discover${qs({ restaurantId: 'RF', sectorId, date: DATE, partySize: 2, duration, windowStart: '19:00', windowEnd: '23:45' })}`,
    );
    expect(reply.status, reply.text).toBe(200);
    return reply.body.candidates.map((candidate) => candidate.start).sort()[0];
  };

  beforeAll(async () => {
    ctx = await startServer({ clock });
    const restaurant = await ctx.admin('/api/v1/admin/restaurants', {
      id: 'RF',
      name: 'Floor',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [
        { start: '12:00', end: '16:00' },
        { start: '19:00', end: '23:45' },
      ],
    });
    expect(restaurant.status, restaurant.text).toBe(201);
  });

  afterAll(() => ctx.close());

  it('seats late keeping the booked end, finishes early, and offers the table again from the next grid start', async () => {
    const sectorId = await sectorWith(['T', 2, 4]);
    clock.at = local('18:00');
    const booking = await book(sectorId, '19:00', '20:30');
    expect(booking.status).toBe('CONFIRMED');
    expectError(await step(booking.id, 'finish'), 409, 'invalid_transition');

    clock.at = local('19:10');
    const seated = await step(booking.id, 'seat');
    expect(seated.status, seated.text).toBe(200);
    expect(seated.body).toMatchObject({
      status: 'SEATED',
      seatedAt: '2025-11-03T19:10:00.000-03:00',
      seatedUntil: '2025-11-03T20:30:00.000-03:00',
    });
    expect(seated.body.end).toBe(booking.end);
    expect(await firstStart(sectorId)).toBe('2025-11-03T20:30:00-03:00');

    clock.at = local('19:52');
    const finished = await step(booking.id, 'finish');
    expect(finished.status, finished.text).toBe(200);
    expect(finished.body).toMatchObject({ status: 'FINISHED', finishedAt: '2025-11-03T19:52:00.000-03:00' });
    expect(await firstStart(sectorId)).toBe('2025-11-03T20:00:00-03:00');
    expectError(await step(booking.id, 'finish'), 409, 'invalid_transition');
    expectError(await step(booking.id, 'seat'), 409, 'invalid_transition');

    const day = await ctx.get<{ items: Floor[] }>(`/api/v1/woki/bookings/day${qs({ restaurantId: 'RF', sectorId, date: DATE })}`);
    expect(day.body.items).toEqual([
      expect.objectContaining({
        id: booking.id,
        status: 'FINISHED',
        source: 'staff',
        seatedAt: seated.body.seatedAt,
        finishedAt: finished.body.finishedAt,
      }),
    ]);
  });

  it('seats early only when the table is free, and extends a late stay only when it is', async () => {
    const sectorId = await sectorWith(['T', 2, 4]);
    clock.at = local('18:00');
    const first = await book(sectorId, '19:00', '20:00');
    const second = await book(sectorId, '20:00', '21:00');
    const third = await book(sectorId, '21:30', '22:30');
    const fourth = await book(sectorId, '22:30', '23:30');

    clock.at = local('19:40');
    const early = await step(second.id, 'seat');
    expectError(early, 409, 'seats_taken');
    expect(early.body).toMatchObject({ bookings: [first.id], blackouts: [] });
    expect((await step(first.id, 'seat')).status).toBe(200);
    clock.at = local('19:41');
    expect((await step(first.id, 'finish')).status).toBe(200);
    const seatedEarly = await step(second.id, 'seat');
    expect(seatedEarly.status, seatedEarly.text).toBe(200);
    expect(seatedEarly.body.seatedAt).toBe('2025-11-03T19:41:00.000-03:00');

    // Late by a quarter: a whole stay from now would run into the 22:30 booking.
    clock.at = local('21:45');
    expect((await step(second.id, 'finish')).status).toBe(200);
    const extended = await step(third.id, 'seat', { extend: true });
    expectError(extended, 409, 'seats_taken');
    expect(extended.body).toMatchObject({ bookings: [fourth.id] });
    const seated = await step(third.id, 'seat');
    expect(seated.body).toMatchObject({ status: 'SEATED', seatedUntil: '2025-11-03T22:30:00.000-03:00' });

    // After its booked end, a party is seated only with a whole stay of its own.
    clock.at = local('23:40');
    expect((await step(third.id, 'finish')).status).toBe(200);
    expectError(await step(fourth.id, 'seat'), 409, 'invalid_transition');
    const lateFourth = await step(fourth.id, 'seat', { extend: true });
    expect(lateFourth.body).toMatchObject({ status: 'SEATED', seatedUntil: '2025-11-04T00:40:00.000-03:00' });
  });

  it('marks a no-show once, from two sweepers, after the grace period, and frees the table', async () => {
    const sectorId = await sectorWith(['T', 2, 4]);
    clock.at = local('18:00');
    const booking = await book(sectorId, '19:00', '21:00');
    expect(await ctx.app.markDueNoShows()).toBe(0);
    clock.at = local('19:14');
    expect(await ctx.app.markDueNoShows()).toBe(0);
    clock.at = local('19:15');
    const sweepers = [startSweeper(ctx.app, 10), startSweeper(ctx.app, 10)];
    try {
      let current = await ctx.deps.reads.booking(booking.id);
      for (let tries = 0; current?.value.status === 'CONFIRMED' && tries < 300; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        current = await ctx.deps.reads.booking(booking.id);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      sweepers.forEach((sweeper) => sweeper.stop());
    }
    const events = await ctx.deps.events.readStream(`booking-${booking.id}`);
    expect(events.map((event) => event.type)).toEqual(['BookingConfirmed', 'BookingMarkedNoShow']);
    const marked = await ctx.get<Floor>(`/api/v1/woki/bookings/${booking.id}`);
    expect(marked.body).toMatchObject({ status: 'NO_SHOW', noShowAutomatic: true, noShowAt: '2025-11-03T19:15:00.000-03:00' });
    expect(await firstStart(sectorId)).toBe('2025-11-03T19:15:00-03:00');

    // The party turns up after all: the no-show is undone, and the party seated.
    clock.at = local('19:20');
    const undone = await step(booking.id, 'undo');
    expect(undone.status, undone.text).toBe(200);
    expect(undone.body.status).toBe('CONFIRMED');
    expect(undone.body.noShowAt).toBeUndefined();
    expect((await step(booking.id, 'seat')).body.status).toBe('SEATED');
    expect(await ctx.app.markDueNoShows()).toBe(0);
  });

  it('lets staff mark a no-show only once the booking has started, and undo it only while the service lasts', async () => {
    const sectorId = await sectorWith(['T', 2, 4]);
    clock.at = local('18:00');
    const booking = await book(sectorId, '20:00', '21:00');
    expectError(await step(booking.id, 'no-show'), 409, 'invalid_transition');
    expectError(await step(booking.id, 'undo'), 409, 'invalid_transition');
    clock.at = local('20:05');
    const marked = await step(booking.id, 'no-show');
    expect(marked.body).toMatchObject({ status: 'NO_SHOW', noShowAutomatic: false });
    clock.at = local('23:45');
    expectError(await step(booking.id, 'undo'), 409, 'invalid_transition');
    expectError(await step('nope', 'seat'), 404, 'not_found');
  });

  it('undoes a seat and a finish, and refuses an undo whose table has been taken since', async () => {
    const sectorId = await sectorWith(['T', 2, 4]);
    clock.at = local('12:00');
    const booking = await book(sectorId, '13:00', '14:00');
    clock.at = local('13:05');
    await step(booking.id, 'seat');
    expect((await step(booking.id, 'undo')).body).toMatchObject({ status: 'CONFIRMED' });
    await step(booking.id, 'seat');
    clock.at = local('13:20');
    await step(booking.id, 'finish');
    const walkIn = await ctx.post<Floor>('/api/v1/woki/walkins', { restaurantId: 'RF', sectorId, partySize: 2, durationMinutes: 30 });
    expect(walkIn.status, walkIn.text).toBe(201);
    const refused = await step(booking.id, 'undo');
    expectError(refused, 409, 'seats_taken');
    expect(refused.body).toMatchObject({ bookings: [walkIn.body.id] });
    expectError(await step(walkIn.body.id, 'undo'), 409, 'invalid_transition');
  });
  it('books a waiting party when a seated party finishes early', async () => {
    const sectorId = await sectorWith(['T', 2, 4]);
    clock.at = local('18:00');
    const first = await book(sectorId, '19:00', '21:00');
    const waiting = await ctx.post<{ id: string; status: string }>('/api/v1/woki/bookings', {
      restaurantId: 'RF',
      sectorId,
      date: DATE,
      partySize: 2,
      durationMinutes: 60,
      windowStart: '19:30',
      windowEnd: '21:00',
      waitlist: true,
    });
    expect(waiting.status, waiting.text).toBe(202);
    clock.at = local('19:05');
    await step(first.id, 'seat');
    clock.at = local('19:25');
    expect((await step(first.id, 'finish')).status).toBe(200);
    await ctx.reactions.caughtUp();
    const entry = await ctx.get<{ status: string; bookingId?: string }>(`/api/v1/woki/waitlist/${waiting.body.id}`);
    expect(entry.body.status, entry.text).toBe('BOOKED');
  });

  it('shows each table at an instant: free, booked soon, awaiting, seated or blacked out', async () => {
    const sectorId = await sectorWith(['A', 1, 1], ['B', 2, 2], ['C', 3, 3], ['D', 4, 4], ['E', 5, 5]);
    clock.at = local('18:00');
    const seatedParty = await book(sectorId, '19:00', '20:00', 2);
    const late = await book(sectorId, '19:00', '20:00', 3);
    const soon = await book(sectorId, '19:30', '20:30', 4);
    const blackout = await ctx.post('/api/v1/woki/blackouts', {
      id: `BO-${sectorId}`,
      restaurantId: 'RF',
      sectorId,
      tableIds: [`${sectorId}-E`],
      start: '2025-11-03T19:00:00-03:00',
      end: '2025-11-03T20:00:00-03:00',
    });
    expect(blackout.status, blackout.text).toBe(201);
    clock.at = local('19:05');
    await step(seatedParty.id, 'seat');

    const floorAt = async (at?: string) => {
      const reply = await ctx.get<{ at: string; tables: Record<string, unknown>[] }>(
        `/api/v1/woki/floor${qs({ restaurantId: 'RF', sectorId, at })}`,
      );
      expect(reply.status, reply.text).toBe(200);
      return reply.body;
    };
    const now = await floorAt();
    expect(now.at).toBe('2025-11-03T19:05:00-03:00');
    expect(
      now.tables.map(({ tableId, state, bookingId, blackoutId, since, until, nextAt }) => ({
        tableId,
        state,
        bookingId,
        blackoutId,
        since,
        until,
        nextAt,
      })),
    ).toEqual([
      {
        tableId: `${sectorId}-A`,
        state: 'free',
        bookingId: undefined,
        blackoutId: undefined,
        since: undefined,
        until: undefined,
        nextAt: undefined,
      },
      {
        tableId: `${sectorId}-B`,
        state: 'seated',
        bookingId: seatedParty.id,
        blackoutId: undefined,
        since: '2025-11-03T19:05:00-03:00',
        until: '2025-11-03T20:00:00-03:00',
        nextAt: undefined,
      },
      {
        tableId: `${sectorId}-C`,
        state: 'awaiting',
        bookingId: late.id,
        blackoutId: undefined,
        since: '2025-11-03T19:00:00-03:00',
        until: '2025-11-03T20:00:00-03:00',
        nextAt: undefined,
      },
      {
        tableId: `${sectorId}-D`,
        state: 'booked_soon',
        bookingId: soon.id,
        blackoutId: undefined,
        since: undefined,
        until: undefined,
        nextAt: '2025-11-03T19:30:00-03:00',
      },
      {
        tableId: `${sectorId}-E`,
        state: 'blacked_out',
        bookingId: undefined,
        blackoutId: `BO-${sectorId}`,
        since: '2025-11-03T19:00:00-03:00',
        until: '2025-11-03T20:00:00-03:00',
        nextAt: undefined,
      },
    ]);
    const later = await floorAt('2025-11-03T19:45:00-03:00');
    expect(later.tables.map((table) => table.state)).toEqual(['free', 'seated', 'awaiting', 'awaiting', 'blacked_out']);
    const after = await floorAt('2025-11-03T20:10:00-03:00');
    expect(after.tables.map((table) => table.state)).toEqual(['free', 'free', 'free', 'awaiting', 'free']);
    expectError(await ctx.get(`/api/v1/woki/floor${qs({ restaurantId: 'RF', sectorId, at: 'tonight' })}`), 400, 'invalid_input');
  });
});

describe('walk-ins', () => {
  let ctx: TestServer;
  beforeAll(async () => {
    ctx = await startServer({ clock });
    await ctx.admin('/api/v1/admin/restaurants', {
      id: 'RW',
      name: 'Walk-ins',
      timezone: 'America/Argentina/Buenos_Aires',
      windows: [{ start: '19:00', end: '23:45' }],
      durationRules: { rules: [{ upTo: 2, minutes: 60 }], otherwise: 90 },
    });
    await ctx.admin('/api/v1/admin/sectors', { id: 'SW', restaurantId: 'RW', name: 'Bar' });
    await ctx.admin('/api/v1/admin/tables', { id: 'W1', sectorId: 'SW', minSize: 1, maxSize: 2 });
    await ctx.admin('/api/v1/admin/tables', { id: 'W2', sectorId: 'SW', minSize: 2, maxSize: 4 });
  });
  afterAll(() => ctx.close());

  const walkIn = (body: Record<string, unknown>) =>
    ctx.post<Floor & { short?: true; nextFreeAt?: string | null }>('/api/v1/woki/walkins', { restaurantId: 'RW', ...body });

  it('seats a party now, off the grid, for the stay its size gets, never over a booking', async () => {
    clock.at = local('18:00');
    const booked = await ctx.post<Floor>('/api/v1/woki/bookings', {
      restaurantId: 'RW',
      sectorId: 'SW',
      date: DATE,
      partySize: 4,
      durationMinutes: 60,
      windowStart: '20:00',
      windowEnd: '21:00',
    });
    expect(booked.body.tableIds).toEqual(['W2']);
    clock.at = local('19:07') + 20_000;
    const seated = await walkIn({ partySize: 2 });
    expect(seated.status, seated.text).toBe(201);
    expect(seated.body).toMatchObject({
      status: 'SEATED',
      source: 'walk_in',
      tableIds: ['W1'],
      date: DATE,
      start: '2025-11-03T19:08:00-03:00',
      end: '2025-11-03T20:08:00-03:00',
      durationMinutes: 60,
    });
    expect(seated.body.short).toBeUndefined();

    // Only W2 is left, and its 20:00 booking leaves 52 minutes of a 90-minute stay.
    const full = await walkIn({ partySize: 3 });
    expectError(full, 409, 'no_capacity');
    expect(full.body.nextFreeAt).toBe('2025-11-03T21:00:00-03:00');
    const short = await walkIn({ partySize: 3, allowShort: true });
    expect(short.status, short.text).toBe(201);
    expect(short.body).toMatchObject({ tableIds: ['W2'], short: true, end: '2025-11-03T20:00:00-03:00' });

    const day = await ctx.get<{ items: Floor[] }>(`/api/v1/woki/bookings/day${qs({ restaurantId: 'RW', sectorId: 'SW', date: DATE })}`);
    expect(day.body.items.map((item) => [item.source, item.status])).toEqual([
      ['walk_in', 'SEATED'],
      ['walk_in', 'SEATED'],
      ['staff', 'CONFIRMED'],
    ]);
  });

  it('answers a full floor with the soonest time a table frees, and refuses outside service hours', async () => {
    clock.at = local('19:30');
    const full = await walkIn({ partySize: 2, durationMinutes: 30 });
    expectError(full, 409, 'no_capacity');
    expect(full.body.nextFreeAt).toBe('2025-11-03T20:08:00-03:00');
    clock.at = local('17:00');
    expectError(await walkIn({ partySize: 2 }), 422, 'outside_service_window');
    expectError(await walkIn({ partySize: 2, sectorId: 'nope' }), 404, 'not_found');
    expectError(await walkIn({ partySize: 0 }), 400, 'invalid_input');
  });
});

function windowDuration(start: string, end: string): number {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  return minutes(end) - minutes(start);
}
