import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qs, type Reply } from '../support/server.js';
import { ADMIN, book, bookingToken, issueKey, R1, R2, startTenants, xApiKey, type CreatedBody, type Tenants } from './tenants.js';

/**
 * SPEC §5 for the service floor (§9): hosts seat, finish, mark no-shows, undo and
 * take walk-ins (as do managers, owners and keys with `staff:write`); the floor
 * view is a day list's kin (`bookings:read`). Nobody else, and nobody of
 * another restaurant, who gets the 404 an unknown id gets.
 */

/** 20:00 at R2 (Buenos Aires, UTC−3), open 12:00–23:45: a service is on. */
const DATE = '2026-03-02';
const clock = {
  at: Date.parse(`${DATE}T20:00:00-03:00`),
  now() {
    return this.at;
  },
};

describe('service floor access', () => {
  let t: Tenants;
  beforeAll(async () => {
    t = await startTenants({ clock });
    // Room for every party of this file at once: none waits on another's table.
    for (let i = 1; i <= 16; i++) {
      expect((await t.ctx.admin('/api/v1/admin/tables', { id: `TF${i}`, sectorId: 'S2', minSize: 1, maxSize: 2 })).status).toBe(201);
    }
  });
  afterAll(() => t.ctx.close());

  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    t.ctx.request<Record<string, unknown>>(method, path, body === undefined ? { headers, body: {} } : { body, headers });
  const get = (path: string, headers: Record<string, string>) => t.ctx.request<Record<string, unknown>>('GET', path, { headers });
  const step = (id: string, what: string, headers: Record<string, string>) => call('POST', `/api/v1/woki/bookings/${id}/${what}`, headers);
  const walkIn = (headers: Record<string, string>) =>
    call('POST', '/api/v1/woki/walkins', headers, { ...R2, partySize: 1, durationMinutes: 30 });
  const floor = `/api/v1/woki/floor${qs({ ...R2 })}`;

  /** A party of 1 at R2 now, for an hour. */
  async function booking(): Promise<CreatedBody> {
    const created = await book(t.ctx, ADMIN, {
      ...R2,
      date: DATE,
      partySize: 1,
      durationMinutes: 60,
      windowStart: '20:00',
      windowEnd: '21:00',
    });
    expect(created.status, created.text).toBe(201);
    return created.body;
  }
  const expectStatus = (reply: Reply, status: number, what: string) => expect(reply.status, `${what}: ${reply.text}`).toBe(status);

  it('a host, a manager, an owner and a staff:write key run the floor', async () => {
    const key = xApiKey((await issueKey(t.ctx, 'R2', ['staff:write'])).key);
    for (const [who, headers] of [
      ['host', t.r2.host.headers],
      ['manager', t.r2.manager.headers],
      ['owner', t.r2.owner.headers],
      ['staff:write key', key],
    ] as const) {
      const seated = await booking();
      expectStatus(await step(seated.id, 'seat', headers), 200, `${who} seats`);
      expectStatus(await step(seated.id, 'finish', headers), 200, `${who} finishes`);
      expectStatus(await step(seated.id, 'undo', headers), 200, `${who} undoes`);
      expectStatus(await step(seated.id, 'finish', headers), 200, `${who} finishes again`);
      const missed = await booking();
      expectStatus(await step(missed.id, 'no-show', headers), 200, `${who} marks a no-show`);
      const walked = await walkIn(headers);
      expectStatus(walked, 201, `${who} seats a walk-in`);
      expectStatus(await step(walked.body.id as string, 'finish', headers), 200, `${who} finishes the walk-in`);
    }
    const view = await get(floor, t.r2.host.headers);
    expectStatus(view, 200, 'host reads the floor');
    expect(view.body).toMatchObject({ restaurantId: 'R2', sectorId: 'S2', at: `${DATE}T20:00:00-03:00` });
  });

  it('nobody else: anonymous 401, a guest or a key without staff:write 403, another restaurant 404', async () => {
    const created = await booking();
    const guest = await book(t.ctx, {}, { ...R2, date: DATE, partySize: 1, durationMinutes: 60, windowStart: '21:00', windowEnd: '22:00' });
    expectStatus(guest, 201, 'guest books');
    const readKey = xApiKey((await issueKey(t.ctx, 'R2', ['bookings:read', 'bookings:write', 'availability:read'])).key);
    const r1Key = xApiKey((await issueKey(t.ctx, 'R1', ['staff:write', 'bookings:read'])).key);
    for (const what of ['seat', 'finish', 'no-show', 'undo']) {
      expectStatus(await step(created.id, what, {}), 401, `anonymous ${what}`);
      expectStatus(await step(guest.body.id, what, bookingToken(guest.body.manageToken!)), 403, `guest ${what}`);
      expectStatus(await step(created.id, what, readKey), 403, `key without staff:write ${what}`);
      expectStatus(await step(created.id, what, t.r1.owner.headers), 404, `R1 owner ${what}`);
      expectStatus(await step(created.id, what, r1Key), 404, `R1 key ${what}`);
    }
    expectStatus(await walkIn({}), 401, 'anonymous walk-in');
    expectStatus(await walkIn(readKey), 403, 'walk-in without staff:write');
    expectStatus(await walkIn(t.r1.manager.headers), 404, 'R1 manager walk-in at R2');
    expectStatus(await get(floor, {}), 401, 'anonymous floor');
    expectStatus(await get(floor, readKey), 200, 'bookings:read floor');
    expectStatus(await get(floor, xApiKey((await issueKey(t.ctx, 'R2', ['staff:write'])).key)), 403, 'staff:write floor');
    expectStatus(await get(floor, t.r1.host.headers), 404, 'R1 host floor at R2');
    expectStatus(await get(`/api/v1/woki/floor${qs({ ...R1 })}`, t.r2.host.headers), 404, 'R2 host floor at R1');
    // Nothing moved.
    expect((await t.ctx.get<CreatedBody>(`/api/v1/woki/bookings/${created.id}`)).body.status).toBe('CONFIRMED');
  });
});
