import type { AccessStore, Membership, StoredApiKey, StoredRefreshToken, StoredUser } from '../../application/ports/accessStore.js';

const membershipId = (restaurantId: string, userId: string) => `${restaurantId}\u0000${userId}`;

/** Code-unit order, as the SQL stores sort ids (binary / "C" collation). */
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Users, memberships, API keys, refresh tokens and failed logins in one process's
 * memory, with the same rules as the durable stores. Every record goes in and out
 * as a copy, so callers cannot change what is stored behind its back.
 */
export class MemoryAccess implements AccessStore {
  private readonly users = new Map<string, StoredUser>();
  /** Email to user id. */
  private readonly emails = new Map<string, string>();
  private readonly memberships = new Map<string, Membership>();
  private readonly apiKeys = new Map<string, StoredApiKey>();
  /** Key hash to key id. */
  private readonly keyHashes = new Map<string, string>();
  private readonly refreshTokens = new Map<string, StoredRefreshToken>();
  private readonly loginFailures = new Map<string, number[]>();

  async createUser(user: StoredUser): Promise<boolean> {
    if (this.users.has(user.id) || this.emails.has(user.email)) return false;
    this.users.set(user.id, structuredClone(user));
    this.emails.set(user.email, user.id);
    return true;
  }

  async userById(id: string): Promise<StoredUser | null> {
    const user = this.users.get(id);
    return user ? structuredClone(user) : null;
  }

  async userByEmail(email: string): Promise<StoredUser | null> {
    const id = this.emails.get(email);
    return id === undefined ? null : this.userById(id);
  }

  async putMembership(membership: Membership): Promise<void> {
    const id = membershipId(membership.restaurantId, membership.userId);
    const existing = this.memberships.get(id);
    // A role change keeps the date the user joined.
    if (existing) existing.role = membership.role;
    else this.memberships.set(id, { ...membership });
  }

  async removeMembership(restaurantId: string, userId: string): Promise<boolean> {
    return this.memberships.delete(membershipId(restaurantId, userId));
  }

  async membershipsOfUser(userId: string): Promise<Membership[]> {
    return [...this.memberships.values()]
      .filter((membership) => membership.userId === userId)
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.restaurantId, b.restaurantId))
      .map((membership) => ({ ...membership }));
  }

  async membersOf(restaurantId: string): Promise<Membership[]> {
    return [...this.memberships.values()]
      .filter((membership) => membership.restaurantId === restaurantId)
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.userId, b.userId))
      .map((membership) => ({ ...membership }));
  }

  async createApiKey(key: StoredApiKey): Promise<void> {
    if (this.apiKeys.has(key.id)) throw new Error(`API key ${key.id} exists already`);
    if (this.keyHashes.has(key.keyHash)) throw new Error('an API key with that hash exists already');
    this.apiKeys.set(key.id, structuredClone(key));
    this.keyHashes.set(key.keyHash, key.id);
  }

  async apiKeyByHash(keyHash: string): Promise<StoredApiKey | null> {
    const id = this.keyHashes.get(keyHash);
    const key = id === undefined ? undefined : this.apiKeys.get(id);
    return key ? structuredClone(key) : null;
  }

  async apiKeysOf(restaurantId: string): Promise<StoredApiKey[]> {
    return [...this.apiKeys.values()]
      .filter((key) => key.restaurantId === restaurantId)
      .sort((a, b) => b.createdAt - a.createdAt || compareIds(b.id, a.id))
      .map((key) => structuredClone(key));
  }

  async revokeApiKey(restaurantId: string, keyId: string, at: number): Promise<boolean> {
    const key = this.apiKeys.get(keyId);
    if (!key || key.restaurantId !== restaurantId || key.revokedAt !== null) return false;
    key.revokedAt = at;
    return true;
  }

  async touchApiKey(keyId: string, at: number): Promise<void> {
    const key = this.apiKeys.get(keyId);
    if (key) key.lastUsedAt = at;
  }

  async saveRefreshToken(token: StoredRefreshToken): Promise<void> {
    if (this.refreshTokens.has(token.tokenHash)) throw new Error('a refresh token with that hash exists already');
    this.refreshTokens.set(token.tokenHash, { ...token });
  }

  async refreshToken(tokenHash: string): Promise<StoredRefreshToken | null> {
    const token = this.refreshTokens.get(tokenHash);
    return token ? { ...token } : null;
  }

  async spendRefreshToken(tokenHash: string, at: number): Promise<boolean> {
    const token = this.refreshTokens.get(tokenHash);
    if (!token || token.spentAt !== null || token.revokedAt !== null || token.expiresAt <= at) return false;
    token.spentAt = at;
    return true;
  }

  async revokeRefreshFamily(familyId: string, at: number): Promise<void> {
    for (const token of this.refreshTokens.values()) {
      if (token.familyId === familyId && token.revokedAt === null) token.revokedAt = at;
    }
  }

  async recordLoginFailure(email: string, at: number): Promise<void> {
    const failures = this.loginFailures.get(email);
    if (failures) failures.push(at);
    else this.loginFailures.set(email, [at]);
  }

  async loginFailuresSince(email: string, since: number): Promise<number> {
    return (this.loginFailures.get(email) ?? []).filter((at) => at >= since).length;
  }

  async clearLoginFailures(email: string): Promise<void> {
    this.loginFailures.delete(email);
  }
}
