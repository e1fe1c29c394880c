import type { Role, Scope } from '../access/principal.js';

export interface StoredUser {
  id: string;
  /** Lower-cased and trimmed: one account per address. */
  email: string;
  name: string;
  /** A memory-hard hash (scrypt), with its parameters and salt; never the password. */
  passwordHash: string;
  admin: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Membership {
  restaurantId: string;
  userId: string;
  role: Role;
  createdAt: number;
}

export interface StoredApiKey {
  id: string;
  restaurantId: string;
  name: string;
  scopes: Scope[];
  /** SHA-256 of the key (hex): keys are long random strings, so a fast hash is enough to keep them unusable at rest. */
  keyHash: string;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface StoredRefreshToken {
  /** SHA-256 of the token (hex). */
  tokenHash: string;
  userId: string;
  /** Every token rotated from one login shares its family: reuse of a spent one revokes them all. */
  familyId: string;
  expiresAt: number;
  spentAt: number | null;
  revokedAt: number | null;
}

/**
 * Who may sign in and with what: users, their roles, API keys, refresh tokens and
 * failed logins. Kept beside the event log, not in it: secrets and hashes must be
 * deletable and never replayed into backups of the log.
 */
export interface AccessStore {
  /** False when the email is taken. */
  createUser(user: StoredUser): Promise<boolean>;
  userById(id: string): Promise<StoredUser | null>;
  userByEmail(email: string): Promise<StoredUser | null>;

  /** Adds or changes a member's role. */
  putMembership(membership: Membership): Promise<void>;
  /** False when the user was no member. */
  removeMembership(restaurantId: string, userId: string): Promise<boolean>;
  membershipsOfUser(userId: string): Promise<Membership[]>;
  /** By creation, then user id. */
  membersOf(restaurantId: string): Promise<Membership[]>;

  createApiKey(key: StoredApiKey): Promise<void>;
  apiKeyByHash(keyHash: string): Promise<StoredApiKey | null>;
  /** Revoked ones included, newest first. */
  apiKeysOf(restaurantId: string): Promise<StoredApiKey[]>;
  /** False when no live key of that restaurant has that id. */
  revokeApiKey(restaurantId: string, keyId: string, at: number): Promise<boolean>;
  touchApiKey(keyId: string, at: number): Promise<void>;

  saveRefreshToken(token: StoredRefreshToken): Promise<void>;
  refreshToken(tokenHash: string): Promise<StoredRefreshToken | null>;
  /** Marks the token spent if it is live (not spent, not revoked, not expired); true only for the one caller that did. */
  spendRefreshToken(tokenHash: string, at: number): Promise<boolean>;
  revokeRefreshFamily(familyId: string, at: number): Promise<void>;

  recordLoginFailure(email: string, at: number): Promise<void>;
  /** Failed logins for the email at or after `since`. */
  loginFailuresSince(email: string, since: number): Promise<number>;
  clearLoginFailures(email: string): Promise<void>;
}
