import type { Membership, StoredApiKey, StoredRefreshToken, StoredUser } from '../../application/ports/accessStore.js';
import type { Role, Scope } from '../../application/access/principal.js';
import { toNumber, type Queryable } from './db.js';

/** bigint columns arrive as strings. */
type Millis = string | number;

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  admin: boolean;
  created_at: Millis;
  updated_at: Millis;
}

interface MembershipRow {
  restaurant_id: string;
  user_id: string;
  role: Role;
  created_at: Millis;
}

interface ApiKeyRow {
  id: string;
  restaurant_id: string;
  name: string;
  scopes: Scope[];
  key_hash: string;
  created_by: string;
  created_at: Millis;
  last_used_at: Millis | null;
  revoked_at: Millis | null;
}

interface RefreshTokenRow {
  token_hash: string;
  user_id: string;
  family_id: string;
  expires_at: Millis;
  spent_at: Millis | null;
  revoked_at: Millis | null;
}

const orNull = (value: Millis | null): number | null => (value === null ? null : toNumber(value));

const toUser = (row: UserRow): StoredUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  admin: row.admin,
  createdAt: toNumber(row.created_at),
  updatedAt: toNumber(row.updated_at),
});

const toMembership = (row: MembershipRow): Membership => ({
  restaurantId: row.restaurant_id,
  userId: row.user_id,
  role: row.role,
  createdAt: toNumber(row.created_at),
});

const toApiKey = (row: ApiKeyRow): StoredApiKey => ({
  id: row.id,
  restaurantId: row.restaurant_id,
  name: row.name,
  scopes: row.scopes,
  keyHash: row.key_hash,
  createdBy: row.created_by,
  createdAt: toNumber(row.created_at),
  lastUsedAt: orNull(row.last_used_at),
  revokedAt: orNull(row.revoked_at),
});

const toRefreshToken = (row: RefreshTokenRow): StoredRefreshToken => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  familyId: row.family_id,
  expiresAt: toNumber(row.expires_at),
  spentAt: orNull(row.spent_at),
  revokedAt: orNull(row.revoked_at),
});

const changed = (result: { rowCount: number | null }) => (result.rowCount ?? 0) > 0;

// Users

/** No conflict target: a taken id or a taken email both refuse the user. */
export async function createUser(db: Queryable, user: StoredUser): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO users (id, email, name, password_hash, admin, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING`,
    [user.id, user.email, user.name, user.passwordHash, user.admin, user.createdAt, user.updatedAt],
  );
  return changed(result);
}

export async function userById(db: Queryable, id: string): Promise<StoredUser | null> {
  const result = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return result.rows[0] ? toUser(result.rows[0]) : null;
}

export async function userByEmail(db: Queryable, email: string): Promise<StoredUser | null> {
  const result = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
  return result.rows[0] ? toUser(result.rows[0]) : null;
}

// Memberships

/** A role change keeps the date the user joined. */
export async function putMembership(db: Queryable, membership: Membership): Promise<void> {
  await db.query(
    `INSERT INTO memberships (restaurant_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (restaurant_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [membership.restaurantId, membership.userId, membership.role, membership.createdAt],
  );
}

export async function removeMembership(db: Queryable, restaurantId: string, userId: string): Promise<boolean> {
  return changed(await db.query('DELETE FROM memberships WHERE restaurant_id = $1 AND user_id = $2', [restaurantId, userId]));
}

export async function membershipsOfUser(db: Queryable, userId: string): Promise<Membership[]> {
  const result = await db.query<MembershipRow>(
    'SELECT * FROM memberships WHERE user_id = $1 ORDER BY created_at, restaurant_id COLLATE "C"',
    [userId],
  );
  return result.rows.map(toMembership);
}

export async function membersOf(db: Queryable, restaurantId: string): Promise<Membership[]> {
  const result = await db.query<MembershipRow>(
    'SELECT * FROM memberships WHERE restaurant_id = $1 ORDER BY created_at, user_id COLLATE "C"',
    [restaurantId],
  );
  return result.rows.map(toMembership);
}

// API keys

export async function createApiKey(db: Queryable, key: StoredApiKey): Promise<void> {
  await db.query(
    `INSERT INTO api_keys (id, restaurant_id, name, scopes, key_hash, created_by, created_at, last_used_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    // As JSON text: pg would send a JS array as a PostgreSQL array literal.
    [
      key.id,
      key.restaurantId,
      key.name,
      JSON.stringify(key.scopes),
      key.keyHash,
      key.createdBy,
      key.createdAt,
      key.lastUsedAt,
      key.revokedAt,
    ],
  );
}

export async function apiKeyByHash(db: Queryable, keyHash: string): Promise<StoredApiKey | null> {
  const result = await db.query<ApiKeyRow>('SELECT * FROM api_keys WHERE key_hash = $1', [keyHash]);
  return result.rows[0] ? toApiKey(result.rows[0]) : null;
}

export async function apiKeysOf(db: Queryable, restaurantId: string): Promise<StoredApiKey[]> {
  const result = await db.query<ApiKeyRow>(
    'SELECT * FROM api_keys WHERE restaurant_id = $1 ORDER BY created_at DESC, id COLLATE "C" DESC',
    [restaurantId],
  );
  return result.rows.map(toApiKey);
}

export async function revokeApiKey(db: Queryable, restaurantId: string, keyId: string, at: number): Promise<boolean> {
  return changed(
    await db.query('UPDATE api_keys SET revoked_at = $3 WHERE restaurant_id = $1 AND id = $2 AND revoked_at IS NULL', [
      restaurantId,
      keyId,
      at,
    ]),
  );
}

export async function touchApiKey(db: Queryable, keyId: string, at: number): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [keyId, at]);
}

// Refresh tokens

export async function saveRefreshToken(db: Queryable, token: StoredRefreshToken): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, spent_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [token.tokenHash, token.userId, token.familyId, token.expiresAt, token.spentAt, token.revokedAt],
  );
}

export async function refreshToken(db: Queryable, tokenHash: string): Promise<StoredRefreshToken | null> {
  const result = await db.query<RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = $1', [tokenHash]);
  return result.rows[0] ? toRefreshToken(result.rows[0]) : null;
}

/**
 * One statement decides: parallel spends queue on the row lock, and each one
 * after the first re-reads the row, finds it spent and changes nothing.
 */
export async function spendRefreshToken(db: Queryable, tokenHash: string, at: number): Promise<boolean> {
  return changed(
    await db.query(
      `UPDATE refresh_tokens SET spent_at = $2
       WHERE token_hash = $1 AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > $2`,
      [tokenHash, at],
    ),
  );
}

export async function revokeRefreshFamily(db: Queryable, familyId: string, at: number): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [familyId, at]);
}

// Failed logins

export async function recordLoginFailure(db: Queryable, email: string, at: number): Promise<void> {
  await db.query('INSERT INTO login_failures (email, at) VALUES ($1, $2)', [email, at]);
}

export async function loginFailuresSince(db: Queryable, email: string, since: number): Promise<number> {
  const result = await db.query<{ failures: string }>('SELECT count(*) AS failures FROM login_failures WHERE email = $1 AND at >= $2', [
    email,
    since,
  ]);
  return toNumber(result.rows[0]?.failures);
}

export async function clearLoginFailures(db: Queryable, email: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE email = $1', [email]);
}
