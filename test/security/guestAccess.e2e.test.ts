import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, type Reply } from '../support/server.js';
import { ADMIN, bookAsAdmin, issueKey, R1, R2, startTenants, withoutIds, xApiKey, type Tenants } from './tenants.js';

/**
 * SPEC §5 and §10: staff read, search, tag and merge guest profiles (`serveFloor`,
 * key scope `staff:write`); only the owner erases one (no key scope may); a
 * stranger gets 401, another restaurant's staff 404, as for a profile that does not exist.
 */
describe('access to guest profiles', () => {
  let t: Tenants;
  let guestId: string;
  let otherId: string;

  beforeAll(async () => {
    t = await startTenants();
    guestId = (await bookAsAdmin(t.ctx, R1)).guestId!;
    otherId = (await bookAsAdmin(t.ctx, R1, { guestPhone: '+54 11 4444-0002', guestEmail: 'other.guest@private.example' })).guestId!;
  });
  afterAll(() => t.ctx.close());

  const send = (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Reply> =>
    t.ctx.request(method, path, { headers, ...(body === undefined ? {} : { body }) });
  const reads = () =>
    [
      ['GET', `/api/v1/guests/${guestId}`, undefined],
      ['GET', '/api/v1/guests?restaurantId=R1&query=ofelia', undefined],
      ['PATCH', `/api/v1/guests/${guestId}`, { tags: ['regular'] }],
    ] as const;

  it('host, manager, owner and a staff:write key read, search and tag; anonymous 401, R2 staff and keys 404', async () => {
    for (const [method, path, body] of reads()) {
      for (const role of ['host', 'manager', 'owner'] as const) {
        const done = await send(method, path, t.r1[role].headers, body);
        expect(done.status, `${role} ${method} ${path}: ${done.text}`).toBe(200);
        expect(done.headers.get('cache-control')).toBe('no-store');
      }
      expect((await send(method, path, xApiKey((await issueKey(t.ctx, 'R1', ['staff:write'])).key), body)).status).toBe(200);
      expectError(await send(method, path, xApiKey((await issueKey(t.ctx, 'R1', ['bookings:read'])).key), body), 403, 'forbidden');
      expectError(await send(method, path, {}, body), 401, 'unauthorized');
      expectError(await send(method, path, t.r2.owner.headers, body), 404, 'not_found');
      expectError(await send(method, path, xApiKey((await issueKey(t.ctx, 'R2', ['staff:write'])).key), body), 404, 'not_found');
    }
  });

  it("another restaurant's profile reads exactly as one that does not exist, and never merges across restaurants", async () => {
    const other = await send('GET', `/api/v1/guests/${guestId}`, t.r2.manager.headers);
    const missing = await send('GET', '/api/v1/guests/gu_nobody', t.r2.manager.headers);
    expect(other.status).toBe(404);
    expect(withoutIds(other.body, [guestId])).toEqual(withoutIds(missing.body, ['gu_nobody']));
    const r2Guest = (await bookAsAdmin(t.ctx, R2)).guestId!;
    expectError(await send('POST', `/api/v1/guests/${guestId}/merge`, t.r1.owner.headers, { from: r2Guest }), 404, 'not_found');
  });

  it('only the owner (or the platform admin) erases: host and manager 403, any key 403, R2 owner 404', async () => {
    const path = `/api/v1/guests/${otherId}`;
    expectError(await send('DELETE', path, t.r1.host.headers), 403, 'forbidden');
    expectError(await send('DELETE', path, t.r1.manager.headers), 403, 'forbidden');
    expectError(
      await send('DELETE', path, xApiKey((await issueKey(t.ctx, 'R1', ['staff:write', 'webhooks:manage'])).key)),
      403,
      'forbidden',
    );
    expectError(await send('DELETE', path, {}), 401, 'unauthorized');
    expectError(await send('DELETE', path, t.r2.owner.headers), 404, 'not_found');
    expect((await send('GET', path, t.r1.host.headers)).body).toMatchObject({ emails: ['other.guest@private.example'] });
    expect((await send('DELETE', path, t.r1.owner.headers)).status).toBe(204);
    expect((await send('GET', path, t.r1.host.headers)).body).toMatchObject({ emails: [], phones: [] });
    // Erasing twice changes nothing more; the admin may too.
    expect((await send('DELETE', path, ADMIN)).status).toBe(204);
  });

  it('an anonymous create is not shown its profile id, and its manage token never reads a profile', async () => {
    const created = await t.ctx.request<{ guestId?: string; manageToken?: string }>('POST', '/api/v1/woki/bookings', {
      body: { ...R1, date: '2026-02-02', partySize: 2, durationMinutes: 90, guestPhone: '+54 11 4444-0003' },
    });
    expect(created.status).toBe(201);
    // An anonymous create is not shown its profile id.
    expect(created.body.guestId).toBeUndefined();
    expectError(await send('GET', `/api/v1/guests/${guestId}`, { 'x-booking-token': created.body.manageToken! }), 401, 'unauthorized');
  });
});
