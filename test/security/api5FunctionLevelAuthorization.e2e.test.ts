import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qs, type Reply } from '../support/server.js';
import {
  ADMIN,
  ALL_SCOPES,
  bearer,
  book,
  bookingRequest,
  createUser,
  freshDate,
  issueKey,
  R1,
  R2,
  signIn,
  staffMember,
  startTenants,
  xApiKey,
  ZONE,
  type CreatedBody,
  type Tenants,
} from './tenants.js';

let blackouts = 0;

/**
 * OWASP API5:2023 Broken Function Level Authorization: each function is open to
 * the roles, scopes and principals SPEC §5's matrix gives it, and to no one else.
 */
describe('OWASP API5:2023 Broken Function Level Authorization', () => {
  let t: Tenants;

  beforeAll(async () => {
    t = await startTenants();
  });
  afterAll(() => t.ctx.close());

  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    t.ctx.request(method, path, body === undefined ? { headers } : { body, headers });

  function expectForbidden(reply: Reply, what: string): void {
    expect(reply.status, `${what}: ${reply.text}`).toBe(403);
    expect(reply.body, what).toMatchObject({ error: 'forbidden' });
  }

  /** A one-hour blackout of T1 on a fresh date (R1 by default). */
  function blackout(where: { restaurantId: string; sectorId: string; tableId: string } = { ...R1, tableId: 'T1' }) {
    const date = freshDate();
    return {
      id: `BO${++blackouts}`,
      restaurantId: where.restaurantId,
      sectorId: where.sectorId,
      tableIds: [where.tableId],
      start: `${date}T15:00:00-03:00`,
      end: `${date}T16:00:00-03:00`,
    };
  }
  const repack = (sectorId = 'S1') => `/api/v1/woki/sectors/${sectorId}/repack${qs({ date: freshDate(), dryRun: 'true' })}`;
  const newTable = (id: string) => ({ id, sectorId: 'S1', minSize: 1, maxSize: 2 });

  /** A PENDING hold at R2 (a party of 6 or more waits for approval). */
  async function hold(): Promise<CreatedBody> {
    const held = await book(
      t.ctx,
      ADMIN,
      bookingRequest(R2, { partySize: 6, guestName: 'Grace', guestEmail: 'grace@example.com', notes: 'window' }),
    );
    expect(held.status, held.text).toBe(201);
    expect(held.body.status).toBe('PENDING');
    expect(held.body).toMatchObject({ guestName: 'Grace' });
    return held.body;
  }

  it('a host runs the floor (holds, day lists) but cannot place blackouts, repack, or manage members and keys', async () => {
    const host = t.r1.host.headers;
    expectForbidden(await call('POST', '/api/v1/woki/blackouts', host, blackout()), 'blackout');
    expectForbidden(await call('POST', repack(), host), 'repack');
    expectForbidden(await call('POST', '/api/v1/restaurants/R1/members', host, { userId: t.r1.host.id, role: 'owner' }), 'self-promotion');
    expectForbidden(await call('GET', '/api/v1/restaurants/R1/members', host), 'list members');
    expectForbidden(await call('POST', '/api/v1/restaurants/R1/api-keys', host, { name: 'mine', scopes: ['bookings:read'] }), 'api key');
    expectForbidden(await call('GET', '/api/v1/restaurants/R1/api-keys', host), 'list api keys');
    expectForbidden(await call('POST', '/api/v1/admin/tables', host, newTable('TH1')), 'add table');
    expectForbidden(await call('POST', '/api/v1/admin/sectors', host, { id: 'SH1', restaurantId: 'R1', name: 'x' }), 'add sector');

    const held = await hold();
    const r2Host = t.r2.host.headers;
    const approved = await call('POST', `/api/v1/woki/bookings/${held.id}/approve`, r2Host);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'CONFIRMED' });
    expect((await call('GET', `/api/v1/woki/bookings/day${qs({ ...R1, date: '2025-10-22' })}`, host)).status).toBe(200);
    // The host is still a host.
    const me = await call('GET', '/api/v1/auth/me', host);
    expect(me.body).toMatchObject({ roles: [{ restaurantId: 'R1', role: 'host' }] });
  });

  it('a manager places blackouts and repacks, but cannot add tables, sectors, members or API keys', async () => {
    const manager = t.r1.manager.headers;
    const placed = await call('POST', '/api/v1/woki/blackouts', manager, blackout());
    expect(placed.status, placed.text).toBe(201);
    expect((await call('POST', repack(), manager)).status).toBe(200);
    expectForbidden(await call('POST', '/api/v1/admin/tables', manager, newTable('TM1')), 'add table');
    expectForbidden(await call('POST', '/api/v1/admin/sectors', manager, { id: 'SM1', restaurantId: 'R1', name: 'x' }), 'add sector');
    expectForbidden(
      await call('POST', '/api/v1/restaurants/R1/members', manager, { userId: t.r1.manager.id, role: 'owner' }),
      'self-promotion',
    );
    expectForbidden(await call('DELETE', `/api/v1/restaurants/R1/members/${t.r1.host.id}`, manager), 'remove member');
    expectForbidden(await call('POST', '/api/v1/restaurants/R1/api-keys', manager, { name: 'mine', scopes: ['bookings:read'] }), 'api key');
    // Nor anything a platform admin does.
    expectForbidden(
      await call('POST', '/api/v1/admin/restaurants', manager, { id: 'RM', name: 'x', timezone: ZONE }),
      'register restaurant',
    );
  });

  it('an owner configures its restaurant, but cannot register restaurants, create users, seed or read platform info', async () => {
    const owner = t.r1.owner.headers;
    expect((await call('POST', '/api/v1/admin/tables', owner, newTable('TO1'))).status).toBe(201);
    expect((await call('POST', '/api/v1/admin/sectors', owner, { id: 'SO1', restaurantId: 'R1', name: 'Terrace' })).status).toBe(201);
    expect((await call('POST', '/api/v1/woki/blackouts', owner, blackout())).status).toBe(201);
    const user = await createUser(t.ctx, 'hired');
    expect((await call('POST', '/api/v1/restaurants/R1/members', owner, { userId: user.id, role: 'manager' })).status).toBe(201);
    expect((await call('POST', '/api/v1/restaurants/R1/api-keys', owner, { name: 'pos', scopes: ['bookings:read'] })).status).toBe(201);

    expectForbidden(
      await call('POST', '/api/v1/admin/restaurants', owner, { id: 'RO', name: 'Mine now', timezone: ZONE }),
      'register restaurant',
    );
    expectForbidden(
      await call('POST', '/api/v1/admin/users', owner, {
        email: 'sneaky@staff.example',
        password: 'long enough password',
        name: 'x',
        admin: true,
      }),
      'create user',
    );
    expectForbidden(await call('POST', '/api/v1/admin/seed', owner), 'seed');
    expectForbidden(await call('GET', '/api/v1/admin/info', owner), 'admin info');
    expectForbidden(await call('GET', '/metrics', owner), 'metrics');
    expect(
      (await call('GET', '/api/v1/woki/discover?restaurantId=RO&sectorId=x&date=2025-10-22&partySize=2&duration=60', ADMIN)).status,
    ).toBe(404);
  });

  it('an API key with staff:write approves holds and places blackouts, but cannot manage members, keys or tables', async () => {
    const key = xApiKey((await issueKey(t.ctx, 'R2', ['staff:write'])).key);
    const held = await hold();
    const approved = await call('POST', `/api/v1/woki/bookings/${held.id}/approve`, key);
    expect(approved.status, approved.text).toBe(200);
    // Serving the floor is no licence to read the guest's contact fields.
    for (const field of ['guestName', 'guestEmail', 'guestPhone', 'notes']) expect(approved.body).not.toHaveProperty(field);
    const rejected = await call('POST', `/api/v1/woki/bookings/${(await hold()).id}/reject`, key);
    expect(rejected.status, rejected.text).toBe(200);
    expect((await call('POST', '/api/v1/woki/blackouts', key, blackout({ ...R2, tableId: 'T21' }))).status).toBe(201);

    expectForbidden(await call('POST', '/api/v1/restaurants/R2/members', key, { userId: t.r1.host.id, role: 'owner' }), 'add member');
    expectForbidden(await call('GET', '/api/v1/restaurants/R2/members', key), 'list members');
    expectForbidden(await call('POST', '/api/v1/restaurants/R2/api-keys', key, { name: 'child', scopes: ALL_SCOPES }), 'mint a key');
    expectForbidden(await call('POST', '/api/v1/admin/tables', key, { id: 'TK1', sectorId: 'S2', minSize: 1, maxSize: 2 }), 'add table');
    // Serving the floor is no licence to read bookings.
    expectForbidden(await call('GET', `/api/v1/woki/bookings/day${qs({ ...R2, date: held.date })}`, key), 'day list');
  });

  it('each scope opens its own functions only', async () => {
    const date = freshDate();
    const discover = `/api/v1/woki/discover${qs({ ...R1, date, partySize: 2, duration: 60 })}`;
    const day = `/api/v1/woki/bookings/day${qs({ ...R1, date: '2025-10-22' })}`;
    const scoped = async (scope: string) => xApiKey((await issueKey(t.ctx, 'R1', [scope])).key);
    const expectations: [string, () => Promise<Reply>, string][] = [];
    for (const scope of ALL_SCOPES) {
      const key = await scoped(scope);
      expectations.push(
        [`${scope}: day list`, () => call('GET', day, key), scope === 'bookings:read' ? '200' : '403'],
        [`${scope}: read B1`, () => call('GET', '/api/v1/woki/bookings/B1', key), scope === 'bookings:read' ? '200' : '403'],
        // Creates are public at R1 (publicBooking): any key may, as anyone may.
        [`${scope}: create`, () => book(t.ctx, key, bookingRequest(R1)), '201'],
        [`${scope}: blackout`, () => call('POST', '/api/v1/woki/blackouts', key, blackout()), scope === 'staff:write' ? '201' : '403'],
        [`${scope}: add table`, () => call('POST', '/api/v1/admin/tables', key, newTable(`TS${++blackouts}`)), '403'],
        [`${scope}: members`, () => call('GET', '/api/v1/restaurants/R1/members', key), '403'],
        [`${scope}: admin info`, () => call('GET', '/api/v1/admin/info', key), '403'],
        [`${scope}: metrics`, () => call('GET', '/metrics', key), '403'],
      );
    }
    for (const [what, run, status] of expectations) expect(String((await run()).status), what).toBe(status);
    expect((await call('GET', discover, {})).status).toBe(200);
  });

  it('only the platform admin (the secret or an admin user) sees /admin/info and /metrics', async () => {
    const adminUser = await createUser(t.ctx, 'platform', true);
    const adminToken = bearer((await signIn(t.ctx, adminUser.email)).accessToken);
    const allScopes = xApiKey((await issueKey(t.ctx, 'R1', ALL_SCOPES)).key);
    for (const path of ['/api/v1/admin/info', '/admin/info', '/metrics', '/api/v1/metrics']) {
      expect((await call('GET', path, {})).status, `${path} anonymous`).toBe(401);
      for (const [who, headers] of [
        ['owner', t.r1.owner.headers],
        ['manager', t.r1.manager.headers],
        ['host', t.r1.host.headers],
        ['API key with every scope', allScopes],
      ] as const) {
        expectForbidden(await call('GET', path, headers), `${path} ${who}`);
      }
      expect((await call('GET', path, ADMIN)).status, `${path} admin secret`).toBe(200);
      expect((await call('GET', path, adminToken)).status, `${path} admin user`).toBe(200);
    }
    // And an admin user may do what the secret may: create users.
    const created = await call('POST', '/api/v1/admin/users', adminToken, {
      email: 'by-admin-user@staff.example',
      password: 'long enough password',
      name: 'x',
    });
    expect(created.status, created.text).toBe(201);
  });

  it('a member removed by the owner loses access at once, with the access token it already holds', async () => {
    const host = await staffMember(t.ctx, 'R1', 'host');
    expect((await call('GET', '/api/v1/woki/bookings/B1', host.headers)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/restaurants/R1/members/${host.id}`, t.r1.owner.headers)).status).toBe(204);
    expect((await call('GET', '/api/v1/woki/bookings/B1', host.headers)).status).toBe(404);
    // A role given is a role held now: promotion shows at once too.
    expect((await call('POST', '/api/v1/restaurants/R1/members', t.r1.owner.headers, { userId: host.id, role: 'manager' })).status).toBe(
      201,
    );
    expect((await call('POST', '/api/v1/woki/blackouts', host.headers, blackout())).status).toBe(201);
  });

  it('an API key cannot be used to issue new keys or to sign in as anyone', async () => {
    const key = (await issueKey(t.ctx, 'R1', ALL_SCOPES)).key;
    expectForbidden(
      await call('POST', '/api/v1/restaurants/R1/api-keys', xApiKey(key), { name: 'child', scopes: ['bookings:read'] }),
      'mint',
    );
    expectForbidden(
      await call('POST', '/api/v1/admin/users', xApiKey(key), { email: 'k@staff.example', password: 'long enough password', name: 'k' }),
      'user',
    );
    const me = await call('GET', '/api/v1/auth/me', xApiKey(key));
    expect(me.body).toMatchObject({ principal: 'apiKey', user: null, roles: [] });
  });
});
