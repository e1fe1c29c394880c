import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqliteStore.js';
import { exportLog } from '../../src/application/maintenance/backup.js';
import type { Store } from '../../src/compose.js';
import { expectError, qs, startServer, type BookingBody, type TestServer } from '../support/server.js';

/** Buenos Aires is UTC−3 all year. */
const DATE = '2025-11-03';
const local = (time: string) => Date.parse(`${DATE}T${time}:00-03:00`);

interface Guest {
  id: string;
  name?: string;
  phones: string[];
  emails: string[];
  tags: string[];
  notes?: string;
  visits: number;
  cancellations: number;
  noShows: number;
  upcoming: number;
  lastVisitAt?: string;
  mergedIds: string[];
  erasedAt?: string;
  bookings?: { id: string; status: string }[];
}
type Booked = BookingBody & { guestId?: string; guestName?: string; guestEmail?: string; guestPhone?: string; notes?: string };

/** A clock the test moves; each reading moves it on a millisecond, so that events keep their order. */
function testClock(start: number) {
  return {
    at: start,
    now() {
      return ++this.at;
    },
  };
}

async function restaurantWithTables(ctx: TestServer, id: string, tables: number): Promise<void> {
  const created = await ctx.admin('/api/v1/admin/restaurants', {
    id,
    name: id,
    timezone: 'America/Argentina/Buenos_Aires',
    windows: [{ start: '19:00', end: '23:45' }],
  });
  expect(created.status, created.text).toBe(201);
  expect((await ctx.admin('/api/v1/admin/sectors', { id: `${id}-S`, restaurantId: id, name: 'Hall' })).status).toBe(201);
  for (let table = 1; table <= tables; table++) {
    const added = await ctx.admin('/api/v1/admin/tables', { id: `${id}-T${table}`, sectorId: `${id}-S`, minSize: 1, maxSize: 4 });
    expect(added.status).toBe(201);
  }
}

function booker(ctx: TestServer, restaurantId: string) {
  return async (start: string, guest: Record<string, string>, headers?: Record<string, string>) => {
    const reply = await ctx.request<Booked>('POST', '/api/v1/woki/bookings', {
      body: {
        restaurantId,
        sectorId: `${restaurantId}-S`,
        date: DATE,
        partySize: 2,
        durationMinutes: 60,
        windowStart: start,
        windowEnd: '23:45',
        ...guest,
      },
      headers: { 'x-admin-secret': 'test-admin-secret-7f3a9c2e', ...headers },
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  };
}

describe('guest profiles', () => {
  const clock = testClock(local('17:00'));
  let ctx: TestServer;
  const book = () => booker(ctx, 'RG');

  beforeAll(async () => {
    ctx = await startServer({ clock });
    await restaurantWithTables(ctx, 'RG', 6);
  });
  afterAll(() => ctx.close());

  it('matches one guest across phone formats, and counts visits, no-shows and cancellations from their bookings', async () => {
    clock.at = local('17:00');
    const first = await book()('19:00', { guestName: 'Ana Paz', guestPhone: '+54 9 11 5555-1234' });
    const second = await book()('20:00', { guestName: 'Ana', guestPhone: '0054 9 11 5555 1234', guestEmail: 'Ana.Paz@Example.com' });
    const third = await book()('21:00', { guestPhone: '+5491155551234' });
    expect(first.guestId).toBeDefined();
    expect(second.guestId).toBe(first.guestId);
    expect(third.guestId).toBe(first.guestId);
    const other = await book()('19:00', { guestName: 'Someone Else', guestPhone: '+54 9 11 5555-9999' });
    expect(other.guestId).not.toBe(first.guestId);

    let guest = (await ctx.get<Guest>(`/api/v1/guests/${first.guestId}`)).body;
    expect(guest).toMatchObject({ name: 'Ana Paz', phones: ['+5491155551234'], emails: ['ana.paz@example.com'], upcoming: 3, noShows: 0 });

    // 19:00 booking: never came. 20:00: seated at 20:05, gone at 21:00. 21:00: cancelled.
    clock.at = local('19:20');
    expect((await ctx.post(`/api/v1/woki/bookings/${first.id}/no-show`, {})).status).toBe(200);
    clock.at = local('20:05');
    expect((await ctx.post(`/api/v1/woki/bookings/${second.id}/seat`, {})).status).toBe(200);
    clock.at = local('21:00');
    expect((await ctx.post(`/api/v1/woki/bookings/${second.id}/finish`, {})).status).toBe(200);
    expect((await ctx.del(`/api/v1/woki/bookings/${third.id}`)).status).toBe(204);

    guest = (await ctx.get<Guest>(`/api/v1/guests/${first.guestId}`)).body;
    expect(guest).toMatchObject({ visits: 1, noShows: 1, cancellations: 1, upcoming: 0 });
    // The ticking clock moves a millisecond per reading.
    expect(guest.lastVisitAt).toMatch(/^2025-11-03T20:05:00\.\d{3}-03:00$/);
    expect(guest.bookings?.map((b) => b.id)).toEqual([third.id, second.id, first.id]);
  });

  it('searches by name, phone digits and email; tags and notes show to the host on the floor', async () => {
    clock.at = local('17:00');
    const booked = await book()('22:00', { guestName: 'Bruno Díaz', guestPhone: '+54 9 11 6000-7000', guestEmail: 'bruno@example.com' });
    const search = (query: string) =>
      ctx.get<{ items: Guest[] }>(`/api/v1/guests${qs({ restaurantId: 'RG', query })}`).then((reply) => reply.body.items.map((g) => g.id));
    expect(await search('bruno d')).toEqual([booked.guestId]);
    expect(await search('60007000')).toEqual([booked.guestId]);
    expect(await search('BRUNO@EXAMPLE')).toEqual([booked.guestId]);
    expect(await search('nobody-like-this')).toEqual([]);

    const patched = await ctx.request<Guest>('PATCH', `/api/v1/guests/${booked.guestId}`, {
      body: { tags: ['VIP', 'vip', 'window'], notes: 'likes the corner' },
      headers: { 'x-admin-secret': 'test-admin-secret-7f3a9c2e' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ tags: ['vip', 'window'], notes: 'likes the corner' });

    // Ten minutes before the party is due, the host sees who is coming.
    const at = new Date(Date.parse(booked.start) - 10 * 60_000).toISOString();
    const floor = await ctx.get<{ tables: { bookingId?: string; guest?: unknown }[] }>(
      `/api/v1/woki/floor${qs({ restaurantId: 'RG', sectorId: 'RG-S', at })}`,
    );
    const table = floor.body.tables.find((t) => t.bookingId === booked.id);
    expect(table?.guest).toEqual({ id: booked.guestId, visits: 0, noShows: 0, tags: ['vip', 'window'] });
  });

  it('merges two profiles of one guest: contacts, tags and bookings count on the one kept', async () => {
    clock.at = local('17:00');
    const byPhone = await book()('19:30', { guestName: 'Carla', guestPhone: '+54 9 11 7000-8000' });
    const byEmail = await book()('20:30', { guestName: 'Carla R.', guestEmail: 'carla@example.com' });
    expect(byEmail.guestId).not.toBe(byPhone.guestId);
    const merged = await ctx.post<Guest>(`/api/v1/guests/${byPhone.guestId}/merge`, { from: byEmail.guestId });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body).toMatchObject({
      phones: ['+5491170008000'],
      emails: ['carla@example.com'],
      upcoming: 2,
      mergedIds: [byEmail.guestId],
    });
    expectError(await ctx.get(`/api/v1/guests/${byEmail.guestId}`), 409, 'guest_unavailable');
    // The email now finds the kept profile.
    const again = await book()('22:30', { guestEmail: 'CARLA@example.com' });
    expect(again.guestId).toBe(byPhone.guestId);
    expectError(await ctx.post(`/api/v1/guests/${byPhone.guestId}/merge`, { from: byPhone.guestId }), 400, 'invalid_input');
  });

  it('refuses bad input with 400 and unknown guests with 404', async () => {
    expectError(await ctx.get(`/api/v1/guests${qs({ restaurantId: 'RG', limit: '0' })}`), 400, 'invalid_input');
    expectError(await ctx.get('/api/v1/guests'), 400, 'invalid_input');
    expectError(await ctx.get('/api/v1/guests/nobody'), 404, 'not_found');
    const patch = (body: unknown) =>
      ctx.request('PATCH', '/api/v1/guests/nobody', { body, headers: { 'x-admin-secret': 'test-admin-secret-7f3a9c2e' } });
    expectError(await patch({}), 400, 'invalid_input');
    expectError(await patch({ tags: 'vip' }), 400, 'invalid_input');
    expectError(await patch({ email: 'x@y.z' }), 400, 'invalid_input');
  });
});

/** What the erasure test looks for in every file of the database and in a backup. */
const ERASED = {
  guestName: 'Quillon Erasable-Person',
  guestEmail: 'quillon.erase.8613@private.example',
  guestPhone: '+54 9 11 4321-9876',
  notes: 'nut allergy, table by the harp',
};
const KEPT = { guestName: 'Wilhelmina Kept-Person', guestPhone: '+54 9 11 1111-2222', notes: 'keeps her notes' };

describe('guest erasure on SQLite', () => {
  const clock = testClock(local('17:00'));
  let ctx: TestServer;
  let dir: string;
  let store: Store;
  const book = () => booker(ctx, 'RE');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wokibrain-erasure-'));
    store = SqliteStore.open(join(dir, 'wokibrain.db'));
    ctx = await startServer({ clock, store: { store, name: 'sqlite' } });
    await restaurantWithTables(ctx, 'RE', 4);
  });
  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const filesHold = async (text: string) => {
    for (const name of await readdir(dir)) {
      if ((await readFile(join(dir, name))).includes(Buffer.from(text, 'utf8'))) return true;
    }
    return false;
  };
  const backupOf = async () => {
    const lines: string[] = [];
    for await (const line of exportLog(store)) lines.push(line);
    return lines.join('\n');
  };
  const searched = [ERASED.guestName, ERASED.guestEmail, '+5491143219876', ERASED.guestPhone, ERASED.notes];

  it('removes the guest from every answer, projection, database file and later backup, and keeps the counts', async () => {
    const key = { 'idempotency-key': 'erasure-replay-1' };
    const first = await book()('19:00', ERASED, key);
    const second = await book()('21:00', { ...ERASED, guestPhone: '0054 9 11 4321 9876' });
    const kept = await book()('19:00', KEPT);
    expect(second.guestId).toBe(first.guestId);
    clock.at = local('19:05');
    expect((await ctx.post(`/api/v1/woki/bookings/${first.id}/seat`, {})).status).toBe(200);
    clock.at = local('19:50');
    expect((await ctx.post(`/api/v1/woki/bookings/${first.id}/finish`, {})).status).toBe(200);
    const tagged = await ctx.request('PATCH', `/api/v1/guests/${first.guestId}`, {
      body: { tags: ['regular'], notes: ERASED.notes },
      headers: { 'x-admin-secret': 'test-admin-secret-7f3a9c2e' },
    });
    expect(tagged.status).toBe(200);

    const day = () =>
      ctx.get<{ items: BookingBody[] }>(`/api/v1/woki/bookings/day${qs({ restaurantId: 'RE', sectorId: 'RE-S', date: DATE })}`);
    const before = (await day()).body.items.map(({ id, status, partySize, start }) => ({ id, status, partySize, start }));
    const countsBefore = (await ctx.get<Guest>(`/api/v1/guests/${first.guestId}`)).body;
    const report = () => ctx.get(`/api/v1/reports/day${qs({ restaurantId: 'RE', date: DATE, asOf: '2025-11-03T19:45:00-03:00' })}`);
    const reportBefore = await report();
    expect(reportBefore.status, reportBefore.text).toBe(200);
    // The search is a real one: before the erasure, every value is somewhere in the files and the backup.
    for (const text of [ERASED.guestName, ERASED.guestEmail, ERASED.notes]) expect(await filesHold(text), text).toBe(true);
    expect(await backupOf()).toContain(ERASED.guestName);

    clock.at = local('20:00');
    const erased = await ctx.del(`/api/v1/guests/${first.guestId}`);
    expect(erased.status, erased.text).toBe(204);

    // Answers: the booking, its history, the day list, the as-of list, the idempotent replay, the profile.
    const answers = [
      await ctx.get(`/api/v1/woki/bookings/${first.id}`),
      await ctx.get(`/api/v1/woki/bookings/${second.id}/history`),
      await day(),
      await ctx.get(
        `/api/v1/woki/bookings/day${qs({ restaurantId: 'RE', sectorId: 'RE-S', date: DATE, asOf: '2025-11-03T19:30:00-03:00' })}`,
      ),
      await ctx.get(`/api/v1/guests/${first.guestId}`),
      await ctx.get(`/api/v1/guests${qs({ restaurantId: 'RE' })}`),
    ];
    const replay = await ctx.request<Booked>('POST', '/api/v1/woki/bookings', {
      body: {
        restaurantId: 'RE',
        sectorId: 'RE-S',
        date: DATE,
        partySize: 2,
        durationMinutes: 60,
        windowStart: '19:00',
        windowEnd: '23:45',
        ...ERASED,
      },
      headers: { 'x-admin-secret': 'test-admin-secret-7f3a9c2e', ...key },
    });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.id);
    for (const answer of [...answers, replay]) {
      expect(answer.status, answer.text).toBe(answer === replay ? 201 : 200);
      for (const text of searched) expect(answer.text, text).not.toContain(text);
    }
    expect(answers[3]!.text).toContain(first.id);

    // The counts stay: the day's bookings and statuses, and the profile's visits.
    expect((await day()).body.items.map(({ id, status, partySize, start }) => ({ id, status, partySize, start }))).toEqual(before);
    const countsAfter = (await ctx.get<Guest>(`/api/v1/guests/${first.guestId}`)).body;
    expect(countsAfter).toMatchObject({ visits: countsBefore.visits, upcoming: countsBefore.upcoming, phones: [], emails: [], tags: [] });
    expect(countsAfter.erasedAt).toBeDefined();
    // The day report, as of the same instant, reads the same to the last figure.
    expect((await report()).body).toEqual(reportBefore.body);
    expect(countsAfter.name).toBeUndefined();

    // Files and a fresh backup: none of the erased values; the other guest's are still there.
    const backup = await backupOf();
    for (const text of searched) {
      expect(await filesHold(text), text).toBe(false);
      expect(backup, text).not.toContain(text);
    }
    expect(backup).toContain(KEPT.guestName);
    expect(await filesHold(KEPT.guestName)).toBe(true);
    expect((await ctx.get<Booked>(`/api/v1/woki/bookings/${kept.id}`)).body.notes).toBe(KEPT.notes);

    // The same phone later is a new guest.
    const later = await book()('22:00', { guestPhone: ERASED.guestPhone });
    expect(later.guestId).not.toBe(first.guestId);
  });
});
