import { AppError } from '../../errors/catalogue.js';
import type { LoginBody, MeView, TokenPair } from '../contracts/access.js';
import type { Caller, Dependencies } from '../dependencies.js';
import type { StoredUser } from '../ports/accessStore.js';
import { principalFor } from './accessControl.js';
import { userView } from './management.js';

/** SPEC §5: at most 10 failed logins per account in 15 minutes; then 429, even with the right password. */
const LOCKOUT_FAILURES = 10;
const LOCKOUT_WINDOW_MS = 15 * 60_000;
/** A refresh token lives 30 days unless rotated, revoked or reused. */
const REFRESH_TTL_MS = 30 * 24 * 60 * 60_000;

async function issuePair(deps: Dependencies, user: StoredUser, familyId: string): Promise<TokenPair> {
  const refreshToken = deps.credentials.newSecret('wbr');
  await deps.access.saveRefreshToken({
    tokenHash: deps.credentials.digest(refreshToken),
    userId: user.id,
    familyId,
    expiresAt: deps.clock.now() + REFRESH_TTL_MS,
    spentAt: null,
    revokedAt: null,
  });
  const access = await deps.credentials.signAccessToken(user.id);
  return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
}

export async function login(deps: Dependencies, body: LoginBody): Promise<TokenPair> {
  const now = deps.clock.now();
  // Every attempt counts as a failure before the password is checked, so parallel attempts
  // cannot all slip under the limit; a success clears the count.
  await deps.access.recordLoginFailure(body.email, now);
  const attempts = await deps.access.loginFailuresSince(body.email, now - LOCKOUT_WINDOW_MS);
  if (attempts > LOCKOUT_FAILURES) {
    throw new AppError('rate_limited', 'too many failed sign-ins for this account; try again later', {
      retryAfterSeconds: Math.ceil(LOCKOUT_WINDOW_MS / 1000),
    });
  }
  const user = await deps.access.userByEmail(body.email);
  // A missing user costs a hash too, so that timing does not tell which emails exist.
  const valid = user
    ? await deps.credentials.verifyPassword(body.password, user.passwordHash)
    : await deps.credentials.hashPassword(body.password).then(() => false);
  if (!user || !valid) throw new AppError('unauthorized', 'wrong email or password');
  await deps.access.clearLoginFailures(body.email);
  return issuePair(deps, user, deps.ids.tokenFamilyId());
}

/**
 * Rotates a refresh token: the presented one is spent and a new pair issued in its
 * family. A token presented again after it was spent means it leaked: the whole
 * family is revoked, and the thief and the owner alike must sign in again.
 */
export async function refresh(deps: Dependencies, refreshToken: string): Promise<TokenPair> {
  const now = deps.clock.now();
  const stored = await deps.access.refreshToken(deps.credentials.digest(refreshToken));
  if (!stored) throw new AppError('unauthorized', 'unknown refresh token');
  if (stored.spentAt !== null || stored.revokedAt !== null) {
    await deps.access.revokeRefreshFamily(stored.familyId, now);
    throw new AppError('unauthorized', 'this refresh token was already used or revoked; every token of its sign-in is now revoked');
  }
  if (!(await deps.access.spendRefreshToken(stored.tokenHash, now))) {
    // Expired, or spent by a concurrent request just now (a reuse all the same).
    if (stored.expiresAt > now) await deps.access.revokeRefreshFamily(stored.familyId, now);
    throw new AppError('unauthorized', 'this refresh token has expired or was already used');
  }
  const user = await deps.access.userById(stored.userId);
  if (!user) throw new AppError('unauthorized', 'the user of this refresh token no longer exists');
  const pair = await issuePair(deps, user, stored.familyId);
  // A reuse detected while this pair was being issued revoked the family before the new token existed: revoke it too.
  if ((await deps.access.refreshToken(stored.tokenHash))?.revokedAt != null) {
    await deps.access.revokeRefreshFamily(stored.familyId, deps.clock.now());
    throw new AppError('unauthorized', 'this refresh token was used twice; every token of its sign-in is now revoked');
  }
  return pair;
}

/** Ends the sign-in the refresh token belongs to; access tokens already issued lapse within minutes. */
export async function logout(deps: Dependencies, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  const stored = await deps.access.refreshToken(deps.credentials.digest(refreshToken));
  if (stored) await deps.access.revokeRefreshFamily(stored.familyId, deps.clock.now());
}

export async function me(deps: Dependencies, caller: Caller): Promise<MeView> {
  const principal = principalFor(deps, caller);
  const userId = principal.kind === 'user' || principal.kind === 'admin' ? principal.userId : undefined;
  const user = userId ? await deps.access.userById(userId) : null;
  const roles = principal.kind === 'user' ? Object.entries(principal.roles).map(([restaurantId, role]) => ({ restaurantId, role })) : [];
  return {
    user: user ? userView(user) : null,
    principal: principal.kind,
    roles: roles.sort((a, b) => (a.restaurantId < b.restaurantId ? -1 : 1)),
  };
}
