import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentials } from '../../src/adapters/auth/credentials.js';
import { ADMIN_SECRET, expectError, startServer, type Reply, type TestServer } from '../support/server.js';
import {
  ADMIN,
  bearer,
  createUser,
  issueKey,
  login,
  PASSWORD,
  signIn,
  startTenants,
  xApiKey,
  type Tenants,
  type TokenPair,
} from './tenants.js';

/** The server's own signing key, so that tokens can be forged that differ from real ones in one respect only. */
const SIGNING_KEY = randomBytes(32);
const ISSUER = 'wokibrain';

interface MeBody {
  user: { id: string; email: string } | null;
  principal: string;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Replaces the character at `index` of `text` with another of the base64url alphabet. */
function flipAt(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/**
 * OWASP API2:2023 Broken Authentication: access tokens that were tampered
 * with, expired, unsigned or signed by someone else; refresh-token rotation
 * and reuse detection; logout; login lockout; revoked API keys; the admin secret.
 */
describe('OWASP API2:2023 Broken Authentication', () => {
  let t: Tenants;
  let ctx: TestServer;

  beforeAll(async () => {
    t = await startTenants({ credentials: createCredentials({ signingKey: SIGNING_KEY, adminSecret: ADMIN_SECRET }) });
    ctx = t.ctx;
  });
  afterAll(() => ctx.close());

  const me = (headers: Record<string, string>) => ctx.request<MeBody>('GET', '/api/v1/auth/me', { headers });
  const refresh = (refreshToken: string) => ctx.request<TokenPair>('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
  /** A call only a signed-in R1 host (or better) may make. */
  const readB1 = (headers: Record<string, string>) => ctx.request('GET', '/api/v1/woki/bookings/B1', { headers });

  function expectRefused(reply: Reply, what: string): void {
    expect(reply.status, `${what}: ${reply.text}`).toBe(401);
    expect(reply.body, what).toMatchObject({ error: 'unauthorized' });
  }

  /** A token as the server would sign it for `sub`, changed by `tweak`. */
  async function forge(
    sub: string,
    tweak: (jwt: SignJWT) => SignJWT = (jwt) => jwt,
    key: Uint8Array = SIGNING_KEY,
    alg = 'HS256',
  ): Promise<string> {
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('10m');
    return tweak(jwt).sign(key);
  }

  it('a well-formed token signed with the right key is accepted: the forgeries below differ from it in one respect only', async () => {
    const token = await forge(t.r1.host.id);
    const reply = await me(bearer(token));
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ principal: 'user', user: { id: t.r1.host.id } });
    expect((await readB1(bearer(token))).status).toBe(200);
  });

  it('a token with a flipped character in its signature, payload or header is refused', async () => {
    const [header, payload, signature] = t.r1.host.headers.authorization!.slice('Bearer '.length).split('.') as [string, string, string];
    expect((await readB1(bearer(`${header}.${payload}.${signature}`))).status).toBe(200);
    const tampered = {
      signature: `${header}.${payload}.${flipAt(signature, 10)}`,
      payload: `${header}.${flipAt(payload, 12)}.${signature}`,
      header: `${flipAt(header, 5)}.${payload}.${signature}`,
      'no signature': `${header}.${payload}.`,
      'two parts': `${header}.${payload}`,
    };
    for (const [what, token] of Object.entries(tampered)) expectRefused(await readB1(bearer(token)), what);
  });

  it("a payload rewritten to another user's id (privilege escalation), kept with the original signature, is refused", async () => {
    const [header, payload, signature] = t.r1.host.headers.authorization!.slice('Bearer '.length).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.sub).toBe(t.r1.host.id);
    const escalated = `${header}.${b64url({ ...claims, sub: t.r1.owner.id })}.${signature}`;
    expectRefused(await me(bearer(escalated)), 'sub swapped');
    expectRefused(await ctx.request('GET', '/api/v1/restaurants/R1/members', { headers: bearer(escalated) }), 'sub swapped, owner route');
  });

  it('an expired token signed with the right key is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await forge(t.r1.host.id, (jwt) => jwt.setIssuedAt(now - 3600).setExpirationTime(now - 60));
    expectRefused(await me(bearer(expired)), 'expired');
    expectRefused(await readB1(bearer(expired)), 'expired');
  });

  it('tokens signed with another key, another algorithm, for another issuer or a user who does not exist are refused', async () => {
    const forgeries = {
      'a random key': await forge(t.r1.host.id, undefined, randomBytes(32)),
      'HS384 with the right key': await forge(t.r1.host.id, undefined, SIGNING_KEY, 'HS384'),
      'another issuer': await forge(t.r1.host.id, (jwt) => jwt.setIssuer('someone-else')),
      'no issuer': await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(t.r1.host.id)
        .setExpirationTime('10m')
        .sign(SIGNING_KEY),
      'no subject': await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setExpirationTime('10m').sign(SIGNING_KEY),
      'a user who does not exist': await forge('no-such-user'),
      'the admin secret as a token': ADMIN_SECRET,
    };
    for (const [what, token] of Object.entries(forgeries)) expectRefused(await me(bearer(token)), what);
  });

  it('an unsigned token (alg: none) naming a real user, even an admin, is refused', async () => {
    const admin = await createUser(ctx, 'root', true);
    const now = Math.floor(Date.now() / 1000);
    for (const sub of [t.r1.owner.id, admin.id]) {
      const payload = b64url({ sub, iss: ISSUER, iat: now, exp: now + 600 });
      for (const alg of ['none', 'None', 'NONE']) {
        const token = `${b64url({ alg, typ: 'JWT' })}.${payload}.`;
        expectRefused(await me(bearer(token)), `alg ${alg}`);
        expectRefused(await ctx.request('GET', '/api/v1/admin/info', { headers: bearer(token) }), `alg ${alg} on an admin route`);
      }
    }
  });

  it('bad credentials are refused, never downgraded to anonymous, even on routes anyone may use', async () => {
    const discover = '/api/v1/woki/discover?restaurantId=R1&sectorId=S1&date=2025-10-22&partySize=2&duration=60';
    expect((await ctx.request('GET', discover, {})).status).toBe(200);
    expectRefused(await ctx.request('GET', discover, { headers: bearer('garbage') }), 'garbage bearer');
    expectRefused(await ctx.request('GET', discover, { headers: xApiKey('wbk_not-a-key') }), 'unknown API key');
    expectRefused(await ctx.request('GET', discover, { headers: bearer('wbk_not-a-key') }), 'unknown API key as bearer');
  });

  it('refresh rotates: the old refresh token is spent, and presenting it again revokes the whole family', async () => {
    const user = await createUser(ctx, 'rotating');
    const first = await signIn(ctx, user.email);
    const other = await signIn(ctx, user.email);

    const second = await refresh(first.refreshToken);
    expect(second.status, second.text).toBe(200);
    expect(second.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await me(bearer(second.body.accessToken))).body.user?.id).toBe(user.id);
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);

    // The spent first token comes back (stolen, say): refused, and the family's newest token dies with it.
    expectRefused(await refresh(first.refreshToken), 'spent token reused');
    expectRefused(await refresh(third.body.refreshToken), 'newest token of a revoked family');
    expectRefused(await refresh(second.body.refreshToken), 'spent token');
    // Another sign-in of the same user is another family: untouched.
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('refresh refuses what is not a live refresh token: unknown, an access token, an API key', async () => {
    expectRefused(await refresh('wbr_made-up'), 'unknown');
    const asRefresh = await refresh(t.r1.host.headers.authorization!.slice('Bearer '.length));
    // Over the refresh token's length limit (400) or unknown (401): never a new pair.
    expect([400, 401], asRefresh.text).toContain(asRefresh.status);
    expect(asRefresh.text).not.toContain('accessToken');
    const key = await issueKey(ctx, 'R1', ['bookings:read']);
    expectRefused(await refresh(key.key), 'an API key');
    // And a refresh token is no access token.
    const pair = await signIn(ctx, t.r1.host.email);
    expectRefused(await readB1(bearer(pair.refreshToken)), 'refresh token as bearer');
  });

  it('logout revokes the sign-in: its refresh token is refused after', async () => {
    const pair = await signIn(ctx, t.r1.manager.email);
    const rotated = await refresh(pair.refreshToken);
    expect(rotated.status).toBe(200);
    const out = await ctx.request('POST', '/api/v1/auth/logout', { body: { refreshToken: rotated.body.refreshToken } });
    expect(out.status, out.text).toBe(204);
    expectRefused(await refresh(rotated.body.refreshToken), 'after logout');
  });

  it('after 10 failed logins an account is locked: 429 even with the right password; other accounts are not', async () => {
    const victim = await createUser(ctx, 'victim');
    const bystander = await createUser(ctx, 'bystander');
    for (let attempt = 1; attempt <= 10; attempt++) {
      const wrong = await login(ctx, victim.email, `wrong password ${attempt}`);
      expectError(wrong, 401, 'unauthorized');
    }
    for (const email of [victim.email, victim.email.toUpperCase(), ` ${victim.email} `]) {
      const locked = await login(ctx, email, PASSWORD);
      expect(locked.status, `${email}: ${locked.text}`).toBe(429);
      expect(locked.body).toMatchObject({ error: 'rate_limited' });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(locked.text).not.toContain('accessToken');
    }
    expect((await login(ctx, bystander.email, PASSWORD)).status).toBe(200);
  });

  it('parallel wrong passwords cannot slip past the lockout: at most 10 are checked', async () => {
    const target = await createUser(ctx, 'parallel');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, attempt) => login(ctx, target.email, `wrong password ${attempt}`)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(20);
    expect((await login(ctx, target.email, PASSWORD)).status).toBe(429);
  });

  it('a revoked API key gets 401 at once, whichever header carries it', async () => {
    const key = await issueKey(ctx, 'R1', ['bookings:read']);
    expect((await readB1(xApiKey(key.key))).status).toBe(200);
    expect((await readB1(bearer(key.key))).status).toBe(200);
    const revoked = await ctx.request('DELETE', `/api/v1/restaurants/R1/api-keys/${key.id}`, { headers: t.r1.owner.headers });
    expect(revoked.status, revoked.text).toBe(204);
    expectRefused(await readB1(xApiKey(key.key)), 'revoked, X-API-Key');
    expectRefused(await readB1(bearer(key.key)), 'revoked, Bearer');
    const listed = await ctx.request<{ items: { id: string; revokedAt: string | null }[] }>('GET', '/api/v1/restaurants/R1/api-keys', {
      headers: ADMIN,
    });
    expect(listed.body.items.find((k) => k.id === key.id)?.revokedAt).toEqual(expect.any(String));
  });

  it('a wrong admin secret is 403, a blank one 401; neither acts as anonymous', async () => {
    for (const secret of ['wrong-secret-000000', ADMIN_SECRET.toUpperCase(), `${ADMIN_SECRET}x`, ADMIN_SECRET.slice(0, -1)]) {
      expectError(await ctx.request('GET', '/api/v1/admin/info', { headers: { 'x-admin-secret': secret } }), 403, 'forbidden');
      expect(
        (
          await ctx.request('GET', '/api/v1/woki/discover?restaurantId=R1&sectorId=S1&date=2025-10-22&partySize=2&duration=60', {
            headers: { 'x-admin-secret': secret },
          })
        ).status,
      ).toBe(403);
    }
    for (const blank of ['', '   ']) {
      expectError(await ctx.request('GET', '/api/v1/admin/info', { headers: { 'x-admin-secret': blank } }), 401, 'unauthorized');
    }
    expect((await ctx.request('GET', '/api/v1/admin/info', { headers: ADMIN })).status).toBe(200);
  });
});

describe('OWASP API2:2023 Broken Authentication: the lockout window', () => {
  it('a locked account opens again once 15 minutes have passed', async () => {
    const clock = { at: Date.parse('2025-10-01T12:00:00Z'), now: () => clock.at };
    const ctx = await startServer({ clock });
    try {
      const user = await createUser(ctx, 'patient');
      for (let attempt = 0; attempt < 10; attempt++) expect((await login(ctx, user.email, 'not the password')).status).toBe(401);
      expect((await login(ctx, user.email)).status).toBe(429);
      clock.at += 14 * 60_000;
      expect((await login(ctx, user.email)).status).toBe(429);
      clock.at += 61_000;
      const opened = await login(ctx, user.email);
      expect(opened.status, opened.text).toBe(200);
    } finally {
      await ctx.close();
    }
  });
});
