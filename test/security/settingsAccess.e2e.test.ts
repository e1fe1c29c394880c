import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, type Reply } from '../support/server.js';
import { ADMIN, bearer, book, bookingRequest, createUser, issueKey, R1, signIn, startTenants, xApiKey, type Tenants } from './tenants.js';

/**
 * SPEC §5: pacing and channels are the manager's (`manageService`, API key scope
 * `staff:write`); a host may not, a stranger gets 401, another restaurant's staff 404.
 */
describe('access to the service settings (pacing, channels, no-show grace)', () => {
  let t: Tenants;

  beforeAll(async () => {
    t = await startTenants();
  });
  afterAll(() => t.ctx.close());

  const routes: [string, unknown][] = [
    ['/api/v1/restaurants/R1', { noShowAfterMinutes: 20 }],
    ['/api/v1/sectors/S1', { pacing: { maxCoversPerInterval: 500 } }],
    ['/api/v1/tables/T1', { channels: ['online', 'staff', 'walk_in'] }],
    // The root mount answers the same.
    ['/restaurants/R1', { noShowAfterMinutes: 25 }],
    ['/tables/T2', { channels: ['online', 'staff', 'walk_in'] }],
  ];
  const patch = (path: string, body: unknown, headers: Record<string, string>): Promise<Reply> =>
    t.ctx.request('PATCH', path, { body, headers });

  it.each(routes)('PATCH %s: host 403, manager and owner 200, anonymous 401, R2 staff 404, staff:write key 200', async (path, body) => {
    expectError(await patch(path, body, t.r1.host.headers), 403, 'forbidden');
    for (const role of ['manager', 'owner'] as const) {
      const done = await patch(path, body, t.r1[role].headers);
      expect(done.status, `${role}: ${done.text}`).toBe(200);
    }
    expectError(await patch(path, body, {}), 401, 'unauthorized');
    expectError(await patch(path, body, t.r2.manager.headers), 404, 'not_found');
    expectError(await patch(path, body, t.r2.owner.headers), 404, 'not_found');
    const key = xApiKey((await issueKey(t.ctx, 'R1', ['staff:write'])).key);
    expect((await patch(path, body, key)).status).toBe(200);
    expectError(
      await patch(path, body, xApiKey((await issueKey(t.ctx, 'R1', ['bookings:write', 'availability:read'])).key)),
      403,
      'forbidden',
    );
    expectError(await patch(path, body, xApiKey((await issueKey(t.ctx, 'R2', ['staff:write'])).key)), 404, 'not_found');
    expect((await patch(path, body, ADMIN)).status).toBe(200);
  });

  it("a stranger's 404 for another restaurant's entity reads as for one that does not exist", async () => {
    const other = await patch('/api/v1/sectors/S1', { channels: ['staff'] }, t.r2.manager.headers);
    const missing = await patch('/api/v1/sectors/NOPE', { channels: ['staff'] }, t.r2.manager.headers);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((other.body as { detail: string }).detail.replace('S1', '<id>')).toBe(
      (missing.body as { detail: string }).detail.replace('NOPE', '<id>'),
    );
  });

  it('only staff may override pacing: an API key or a member of another restaurant gets 403, a host books past the cap', async () => {
    const key = xApiKey((await issueKey(t.ctx, 'R1', ['bookings:write'])).key);
    expectError(await book(t.ctx, key, bookingRequest(R1, { override: true })), 403, 'forbidden');
    expectError(await book(t.ctx, t.r2.owner.headers, bookingRequest(R1, { override: true })), 403, 'forbidden');
    const outsider = await createUser(t.ctx, 'outsider');
    expectError(
      await book(t.ctx, bearer((await signIn(t.ctx, outsider.email)).accessToken), bookingRequest(R1, { override: true })),
      403,
      'forbidden',
    );
    const hosted = await book(t.ctx, t.r1.host.headers, bookingRequest(R1, { override: true }));
    expect(hosted.status, hosted.text).toBe(201);
  });
});
