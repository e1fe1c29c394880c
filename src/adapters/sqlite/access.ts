import type { Database, Statement } from 'better-sqlite3';
import type { Membership, StoredApiKey, StoredRefreshToken, StoredUser } from '../../application/ports/accessStore.js';
import type { Role, Scope } from '../../application/access/principal.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  admin: number;
  created_at: number;
  updated_at: number;
}

interface MembershipRow {
  restaurant_id: string;
  user_id: string;
  role: Role;
  created_at: number;
}

interface ApiKeyRow {
  id: string;
  restaurant_id: string;
  name: string;
  scopes: string;
  key_hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

interface RefreshTokenRow {
  token_hash: string;
  user_id: string;
  family_id: string;
  expires_at: number;
  spent_at: number | null;
  revoked_at: number | null;
}

const toUser = (row: UserRow): StoredUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  admin: row.admin !== 0,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toMembership = (row: MembershipRow): Membership => ({
  restaurantId: row.restaurant_id,
  userId: row.user_id,
  role: row.role,
  createdAt: row.created_at,
});

const toApiKey = (row: ApiKeyRow): StoredApiKey => ({
  id: row.id,
  restaurantId: row.restaurant_id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as Scope[],
  keyHash: row.key_hash,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

const toRefreshToken = (row: RefreshTokenRow): StoredRefreshToken => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  familyId: row.family_id,
  expiresAt: row.expires_at,
  spentAt: row.spent_at,
  revokedAt: row.revoked_at,
});

/**
 * Users, memberships, API keys, refresh tokens and failed logins, in tables beside
 * the event log. Writes run inside a write transaction of the caller's; reads may
 * run on their own.
 */
export class SqliteAccess {
  private readonly insertUser: Statement;
  private readonly findUserById: Statement;
  private readonly findUserByEmail: Statement;
  private readonly upsertMembership: Statement;
  private readonly deleteMembership: Statement;
  private readonly findMembershipsOfUser: Statement;
  private readonly findMembersOf: Statement;
  private readonly insertApiKey: Statement;
  private readonly findApiKeyByHash: Statement;
  private readonly findApiKeysOf: Statement;
  private readonly revokeKey: Statement;
  private readonly touchKey: Statement;
  private readonly insertRefreshToken: Statement;
  private readonly findRefreshToken: Statement;
  private readonly spendToken: Statement;
  private readonly revokeFamily: Statement;
  private readonly insertLoginFailure: Statement;
  private readonly countLoginFailures: Statement;
  private readonly deleteLoginFailures: Statement;

  constructor(db: Database) {
    // No conflict target: a taken id or a taken email both refuse the user.
    this.insertUser = db.prepare(
      `INSERT INTO users (id, email, name, password_hash, admin, created_at, updated_at)
       VALUES (@id, @email, @name, @passwordHash, @admin, @createdAt, @updatedAt)
       ON CONFLICT DO NOTHING`,
    );
    this.findUserById = db.prepare('SELECT * FROM users WHERE id = ?');
    this.findUserByEmail = db.prepare('SELECT * FROM users WHERE email = ?');
    // A role change keeps the date the user joined.
    this.upsertMembership = db.prepare(
      `INSERT INTO memberships (restaurant_id, user_id, role, created_at) VALUES (@restaurantId, @userId, @role, @createdAt)
       ON CONFLICT (restaurant_id, user_id) DO UPDATE SET role = excluded.role`,
    );
    this.deleteMembership = db.prepare('DELETE FROM memberships WHERE restaurant_id = ? AND user_id = ?');
    this.findMembershipsOfUser = db.prepare('SELECT * FROM memberships WHERE user_id = ? ORDER BY created_at, restaurant_id');
    this.findMembersOf = db.prepare('SELECT * FROM memberships WHERE restaurant_id = ? ORDER BY created_at, user_id');
    this.insertApiKey = db.prepare(
      `INSERT INTO api_keys (id, restaurant_id, name, scopes, key_hash, created_by, created_at, last_used_at, revoked_at)
       VALUES (@id, @restaurantId, @name, @scopes, @keyHash, @createdBy, @createdAt, @lastUsedAt, @revokedAt)`,
    );
    this.findApiKeyByHash = db.prepare('SELECT * FROM api_keys WHERE key_hash = ?');
    this.findApiKeysOf = db.prepare('SELECT * FROM api_keys WHERE restaurant_id = ? ORDER BY created_at DESC, id DESC');
    this.revokeKey = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE restaurant_id = ? AND id = ? AND revoked_at IS NULL');
    this.touchKey = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
    this.insertRefreshToken = db.prepare(
      `INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, spent_at, revoked_at)
       VALUES (@tokenHash, @userId, @familyId, @expiresAt, @spentAt, @revokedAt)`,
    );
    this.findRefreshToken = db.prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?');
    // One statement decides: only a live token is marked, so only one caller sees a change.
    this.spendToken = db.prepare(
      `UPDATE refresh_tokens SET spent_at = @at
       WHERE token_hash = @tokenHash AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > @at`,
    );
    this.revokeFamily = db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL');
    this.insertLoginFailure = db.prepare('INSERT INTO login_failures (email, at) VALUES (?, ?)');
    this.countLoginFailures = db.prepare('SELECT count(*) AS failures FROM login_failures WHERE email = ? AND at >= ?');
    this.deleteLoginFailures = db.prepare('DELETE FROM login_failures WHERE email = ?');
  }

  createUser(user: StoredUser): boolean {
    return this.insertUser.run({ ...user, admin: user.admin ? 1 : 0 }).changes > 0;
  }

  userById(id: string): StoredUser | null {
    const row = this.findUserById.get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  userByEmail(email: string): StoredUser | null {
    const row = this.findUserByEmail.get(email) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  putMembership(membership: Membership): void {
    this.upsertMembership.run(membership);
  }

  removeMembership(restaurantId: string, userId: string): boolean {
    return this.deleteMembership.run(restaurantId, userId).changes > 0;
  }

  membershipsOfUser(userId: string): Membership[] {
    return (this.findMembershipsOfUser.all(userId) as MembershipRow[]).map(toMembership);
  }

  membersOf(restaurantId: string): Membership[] {
    return (this.findMembersOf.all(restaurantId) as MembershipRow[]).map(toMembership);
  }

  createApiKey(key: StoredApiKey): void {
    this.insertApiKey.run({ ...key, scopes: JSON.stringify(key.scopes) });
  }

  apiKeyByHash(keyHash: string): StoredApiKey | null {
    const row = this.findApiKeyByHash.get(keyHash) as ApiKeyRow | undefined;
    return row ? toApiKey(row) : null;
  }

  apiKeysOf(restaurantId: string): StoredApiKey[] {
    return (this.findApiKeysOf.all(restaurantId) as ApiKeyRow[]).map(toApiKey);
  }

  revokeApiKey(restaurantId: string, keyId: string, at: number): boolean {
    return this.revokeKey.run(at, restaurantId, keyId).changes > 0;
  }

  touchApiKey(keyId: string, at: number): void {
    this.touchKey.run(at, keyId);
  }

  saveRefreshToken(token: StoredRefreshToken): void {
    this.insertRefreshToken.run(token);
  }

  refreshToken(tokenHash: string): StoredRefreshToken | null {
    const row = this.findRefreshToken.get(tokenHash) as RefreshTokenRow | undefined;
    return row ? toRefreshToken(row) : null;
  }

  spendRefreshToken(tokenHash: string, at: number): boolean {
    return this.spendToken.run({ tokenHash, at }).changes > 0;
  }

  revokeRefreshFamily(familyId: string, at: number): void {
    this.revokeFamily.run(at, familyId);
  }

  recordLoginFailure(email: string, at: number): void {
    this.insertLoginFailure.run(email, at);
  }

  loginFailuresSince(email: string, since: number): number {
    return (this.countLoginFailures.get(email, since) as { failures: number }).failures;
  }

  clearLoginFailures(email: string): void {
    this.deleteLoginFailures.run(email);
  }
}
