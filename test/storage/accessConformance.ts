import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessStore, StoredApiKey, StoredRefreshToken, StoredUser } from '../../src/application/ports/accessStore.js';

interface OpenedAccessStore {
  store: AccessStore;
  close(): Promise<void>;
}

/** Opens an EMPTY store each time it is called. */
export type OpenAccessStore = () => Promise<OpenedAccessStore>;

/** Times are whatever the caller says: nothing here waits for a clock. */
const T = 1_700_000_000_000;
const HOUR = 3_600_000;

/**
 * What every store owes the access layer (users, memberships, API keys, refresh
 * tokens, failed logins), checked as a black box. Tests share one store and stay
 * apart by unique ids.
 */
export function describeAccessConformance(name: string, open: OpenAccessStore): void {
  describe(`${name}: access conformance`, () => {
    let opened: OpenedAccessStore;
    let store: AccessStore;
    const run = randomBytes(3).toString('hex');
    let counter = 0;
    const uid = (kind: string) => `${kind}-${run}-${++counter}`;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });

    afterAll(async () => {
      await opened?.close();
    });

    const newUser = (overrides: Partial<StoredUser> = {}): StoredUser => ({
      id: uid('U'),
      email: `${uid('user')}@example.com`,
      name: 'Ana Pérez',
      passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      admin: false,
      createdAt: T,
      updatedAt: T + 1,
      ...overrides,
    });

    const newKey = (restaurantId: string, overrides: Partial<StoredApiKey> = {}): StoredApiKey => ({
      id: uid('K'),
      restaurantId,
      name: 'channel manager',
      scopes: ['availability:read', 'bookings:write'],
      keyHash: randomBytes(32).toString('hex'),
      createdBy: uid('U'),
      createdAt: T,
      lastUsedAt: null,
      revokedAt: null,
      ...overrides,
    });

    const newToken = (overrides: Partial<StoredRefreshToken> = {}): StoredRefreshToken => ({
      tokenHash: randomBytes(32).toString('hex'),
      userId: uid('U'),
      familyId: uid('F'),
      expiresAt: T + HOUR,
      spentAt: null,
      revokedAt: null,
      ...overrides,
    });

    describe('users', () => {
      it('creates a user and finds it by id and by email, as stored', async () => {
        const user = newUser({ admin: true });
        expect(await store.createUser(user)).toBe(true);
        expect(await store.userById(user.id)).toEqual(user);
        expect(await store.userByEmail(user.email)).toEqual(user);
        const plain = newUser();
        expect(await store.createUser(plain)).toBe(true);
        expect(await store.userById(plain.id)).toEqual(plain);
      });

      it('refuses a second user with a taken email and keeps the first', async () => {
        const first = newUser();
        expect(await store.createUser(first)).toBe(true);
        const second = newUser({ email: first.email, name: 'Someone else' });
        expect(await store.createUser(second)).toBe(false);
        expect(await store.userById(second.id)).toBeNull();
        expect(await store.userByEmail(first.email)).toEqual(first);
      });

      it('answers null for unknown users', async () => {
        expect(await store.userById(uid('U'))).toBeNull();
        expect(await store.userByEmail(`${uid('nobody')}@example.com`)).toBeNull();
      });
    });

    describe('memberships', () => {
      it('adds members, changes a role in place and lists by user and by restaurant', async () => {
        const restaurantId = uid('R');
        const other = uid('R');
        const [ana, bruno] = [uid('U'), uid('U')];
        await store.putMembership({ restaurantId, userId: bruno, role: 'host', createdAt: T + 2 });
        await store.putMembership({ restaurantId, userId: ana, role: 'owner', createdAt: T + 1 });
        await store.putMembership({ restaurantId: other, userId: ana, role: 'host', createdAt: T + 3 });

        expect(await store.membersOf(restaurantId)).toEqual([
          { restaurantId, userId: ana, role: 'owner', createdAt: T + 1 },
          { restaurantId, userId: bruno, role: 'host', createdAt: T + 2 },
        ]);

        await store.putMembership({ restaurantId, userId: bruno, role: 'manager', createdAt: T + 50 });
        const members = await store.membersOf(restaurantId);
        expect(members).toHaveLength(2);
        expect(members.find((member) => member.userId === bruno)?.role).toBe('manager');

        const ofAna = await store.membershipsOfUser(ana);
        expect(ofAna.map((membership) => [membership.restaurantId, membership.role]).sort()).toEqual(
          [
            [restaurantId, 'owner'],
            [other, 'host'],
          ].sort(),
        );
        expect(await store.membershipsOfUser(uid('U'))).toEqual([]);
        expect(await store.membersOf(uid('R'))).toEqual([]);
      });

      it('orders members by creation, then user id', async () => {
        const restaurantId = uid('R');
        await store.putMembership({ restaurantId, userId: 'u-b', role: 'host', createdAt: T });
        await store.putMembership({ restaurantId, userId: 'u-c', role: 'host', createdAt: T - 1 });
        await store.putMembership({ restaurantId, userId: 'u-a', role: 'host', createdAt: T });
        expect((await store.membersOf(restaurantId)).map((member) => member.userId)).toEqual(['u-c', 'u-a', 'u-b']);
      });

      it('removes a member once: true, then false', async () => {
        const restaurantId = uid('R');
        const userId = uid('U');
        await store.putMembership({ restaurantId, userId, role: 'manager', createdAt: T });
        expect(await store.removeMembership(restaurantId, userId)).toBe(true);
        expect(await store.removeMembership(restaurantId, userId)).toBe(false);
        expect(await store.membersOf(restaurantId)).toEqual([]);
        expect(await store.membershipsOfUser(userId)).toEqual([]);
      });
    });

    describe('API keys', () => {
      it('creates a key and finds it by its hash, scopes included', async () => {
        const key = newKey(uid('R'), { scopes: ['bookings:read', 'webhooks:manage', 'staff:write'] });
        await store.createApiKey(key);
        expect(await store.apiKeyByHash(key.keyHash)).toEqual(key);
        expect(await store.apiKeyByHash(randomBytes(32).toString('hex'))).toBeNull();
      });

      it("lists a restaurant's keys newest first, revoked ones included", async () => {
        const restaurantId = uid('R');
        const oldest = newKey(restaurantId, { createdAt: T });
        const middle = newKey(restaurantId, { createdAt: T + 1, scopes: [] });
        const newest = newKey(restaurantId, { createdAt: T + 2 });
        for (const key of [middle, newest, oldest]) await store.createApiKey(key);
        await store.createApiKey(newKey(uid('R')));
        expect(await store.revokeApiKey(restaurantId, middle.id, T + 10)).toBe(true);

        expect(await store.apiKeysOf(restaurantId)).toEqual([newest, { ...middle, revokedAt: T + 10 }, oldest]);
        expect(await store.apiKeysOf(uid('R'))).toEqual([]);
      });

      it('revokes a live key once, and never another restaurant’s key', async () => {
        const restaurantId = uid('R');
        const key = newKey(restaurantId);
        await store.createApiKey(key);

        expect(await store.revokeApiKey(uid('R'), key.id, T + 5)).toBe(false);
        expect((await store.apiKeyByHash(key.keyHash))?.revokedAt).toBeNull();

        expect(await store.revokeApiKey(restaurantId, key.id, T + 6)).toBe(true);
        expect(await store.revokeApiKey(restaurantId, key.id, T + 7)).toBe(false);
        expect((await store.apiKeyByHash(key.keyHash))?.revokedAt).toBe(T + 6);
        expect(await store.revokeApiKey(restaurantId, uid('K'), T + 8)).toBe(false);
      });

      it('records when a key was last used', async () => {
        const key = newKey(uid('R'));
        await store.createApiKey(key);
        await store.touchApiKey(key.id, T + 100);
        expect((await store.apiKeyByHash(key.keyHash))?.lastUsedAt).toBe(T + 100);
        await store.touchApiKey(key.id, T + 200);
        expect(await store.apiKeyByHash(key.keyHash)).toEqual({ ...key, lastUsedAt: T + 200 });
        await store.touchApiKey(uid('K'), T + 300); // an unknown key: nothing to do
      });
    });

    describe('refresh tokens', () => {
      it('saves a token and spends it once: true, then false', async () => {
        const token = newToken();
        await store.saveRefreshToken(token);
        expect(await store.refreshToken(token.tokenHash)).toEqual(token);

        expect(await store.spendRefreshToken(token.tokenHash, T + 1)).toBe(true);
        expect(await store.spendRefreshToken(token.tokenHash, T + 2)).toBe(false);
        expect(await store.refreshToken(token.tokenHash)).toEqual({ ...token, spentAt: T + 1 });
        expect(await store.refreshToken(randomBytes(32).toString('hex'))).toBeNull();
        expect(await store.spendRefreshToken(randomBytes(32).toString('hex'), T)).toBe(false);
      });

      it('lets exactly one of 20 parallel spends succeed', async () => {
        const token = newToken();
        await store.saveRefreshToken(token);
        const spent = await Promise.all(Array.from({ length: 20 }, (_, i) => store.spendRefreshToken(token.tokenHash, T + i)));
        expect(spent.filter(Boolean)).toHaveLength(1);
        const winner = spent.indexOf(true);
        expect((await store.refreshToken(token.tokenHash))?.spentAt).toBe(T + winner);
      });

      it('cannot spend an expired token, from its expiry on', async () => {
        const token = newToken({ expiresAt: T + 10 });
        await store.saveRefreshToken(token);
        expect(await store.spendRefreshToken(token.tokenHash, T + 10)).toBe(false);
        expect(await store.spendRefreshToken(token.tokenHash, T + 11)).toBe(false);
        expect((await store.refreshToken(token.tokenHash))?.spentAt).toBeNull();
        const live = newToken({ expiresAt: T + 10 });
        await store.saveRefreshToken(live);
        expect(await store.spendRefreshToken(live.tokenHash, T + 9)).toBe(true);
      });

      it('revokes a whole family, spent members included, and no other', async () => {
        const familyId = uid('F');
        const userId = uid('U');
        const spent = newToken({ familyId, userId });
        const live = newToken({ familyId, userId });
        const stranger = newToken({ userId });
        for (const token of [spent, live, stranger]) await store.saveRefreshToken(token);
        expect(await store.spendRefreshToken(spent.tokenHash, T + 1)).toBe(true);

        await store.revokeRefreshFamily(familyId, T + 2);
        expect(await store.spendRefreshToken(live.tokenHash, T + 3)).toBe(false);
        expect(await store.refreshToken(live.tokenHash)).toEqual({ ...live, revokedAt: T + 2 });
        expect(await store.refreshToken(spent.tokenHash)).toEqual({ ...spent, spentAt: T + 1, revokedAt: T + 2 });

        // Revoking again keeps the first revocation time.
        await store.revokeRefreshFamily(familyId, T + 9);
        expect((await store.refreshToken(live.tokenHash))?.revokedAt).toBe(T + 2);

        expect(await store.spendRefreshToken(stranger.tokenHash, T + 3)).toBe(true);
      });
    });

    describe('failed logins', () => {
      it('counts failures at or after a time, per email, and clears them', async () => {
        const email = `${uid('user')}@example.com`;
        const other = `${uid('user')}@example.com`;
        for (const at of [T, T + 10, T + 20, T + 30]) await store.recordLoginFailure(email, at);
        await store.recordLoginFailure(other, T + 20);

        expect(await store.loginFailuresSince(email, T)).toBe(4);
        expect(await store.loginFailuresSince(email, T + 20)).toBe(2);
        expect(await store.loginFailuresSince(email, T + 31)).toBe(0);
        expect(await store.loginFailuresSince(other, 0)).toBe(1);

        await store.clearLoginFailures(email);
        expect(await store.loginFailuresSince(email, 0)).toBe(0);
        expect(await store.loginFailuresSince(other, 0)).toBe(1);
        expect(await store.loginFailuresSince(`${uid('nobody')}@example.com`, 0)).toBe(0);
      });

      it('counts two failures at the same instant twice', async () => {
        const email = `${uid('user')}@example.com`;
        await Promise.all([store.recordLoginFailure(email, T), store.recordLoginFailure(email, T)]);
        expect(await store.loginFailuresSince(email, T)).toBe(2);
      });
    });
  });
}
