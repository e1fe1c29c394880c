import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, qs } from '../support/server.js';
import { ADMIN, issueKey, startTenants, withoutIds, xApiKey, type Tenants } from './tenants.js';

/**
 * SPEC §5: reports are the manager's (`manageService`, API key scope
 * `staff:write`). A host may not (403); a stranger gets 401; staff or keys of
 * another restaurant get the 404 an unknown restaurant or sector gets.
 */
describe('access to the day report', () => {
  let t: Tenants;
  beforeAll(async () => {
    t = await startTenants();
  });
  afterAll(() => t.ctx.close());

  const path = (params: Record<string, string>) => `/api/v1/reports/day${qs({ date: '2025-10-22', ...params })}`;
  const get = (params: Record<string, string>, headers: Record<string, string>) => t.ctx.request('GET', path(params), { headers });

  it('a manager, an owner, a staff:write key and the platform admin read it; a host and other scopes get 403; nobody signed in 401', async () => {
    for (const [who, headers] of [
      ['manager', t.r1.manager.headers],
      ['owner', t.r1.owner.headers],
      ['staff:write key', xApiKey((await issueKey(t.ctx, 'R1', ['staff:write'])).key)],
      ['admin', ADMIN],
    ] as const) {
      for (const params of [{ restaurantId: 'R1' }, { restaurantId: 'R1', sectorId: 'S1' }] as Record<string, string>[]) {
        const reply = await get(params, headers);
        expect(reply.status, `${who}: ${reply.text}`).toBe(200);
        // The demo's B1: one party of 3 booked for the day.
        expect((reply.body as { parties: { booked: number } }).parties.booked).toBe(1);
      }
    }
    expectError(await get({ restaurantId: 'R1' }, t.r1.host.headers), 403, 'forbidden');
    expectError(await get({ restaurantId: 'R1', sectorId: 'S1' }, t.r1.host.headers), 403, 'forbidden');
    expectError(await get({ restaurantId: 'R1' }, xApiKey((await issueKey(t.ctx, 'R1', ['bookings:read'])).key)), 403, 'forbidden');
    expectError(await get({ restaurantId: 'R1' }, {}), 401, 'unauthorized');
  });

  it("another restaurant's manager, owner or key gets 404, as for a restaurant or sector that does not exist", async () => {
    for (const headers of [t.r2.manager.headers, t.r2.owner.headers, xApiKey((await issueKey(t.ctx, 'R2', ['staff:write'])).key)]) {
      expectError(await get({ restaurantId: 'R1' }, headers), 404, 'not_found');
      expectError(await get({ restaurantId: 'R1', sectorId: 'S1' }, headers), 404, 'not_found');
    }
    // R2's manager asking about R1's sector under R2: a sector of another restaurant.
    expectError(await get({ restaurantId: 'R2', sectorId: 'S1' }, t.r2.manager.headers), 404, 'not_found');
    const foreign = await get({ restaurantId: 'R1' }, t.r2.manager.headers);
    const missing = await get({ restaurantId: 'NOPE' }, t.r2.manager.headers);
    expect(missing.status).toBe(404);
    expect(withoutIds(foreign.body, ['R1'])).toEqual(withoutIds(missing.body, ['NOPE']));
  });

  it('checks input before anything: 400 with {error, detail}', async () => {
    expectError(await get({ restaurantId: 'R1', date: '2025-13-01' }, t.r1.manager.headers), 400, 'invalid_input');
    expectError(await get({ restaurantId: 'R1', asOf: 'yesterday' }, t.r1.manager.headers), 400, 'invalid_input');
  });
});
