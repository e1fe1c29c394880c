import { AppError } from '../../errors/catalogue.js';
import type { Dependencies } from '../dependencies.js';
import { ANONYMOUS, type Principal, type Role } from './principal.js';

/** What a request presented, as its protocol carries it. */
export interface PresentedCredentials {
  adminSecret?: string | undefined;
  /** `Authorization: Bearer …`: an access token, or an API key. */
  bearer?: string | undefined;
  /** `X-API-Key`. */
  apiKey?: string | undefined;
}

export const API_KEY_PREFIX = 'wbk';

/** `lastUsedAt` is written at most this often per key: a key in a busy loop must not turn every read into a write. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Who presented these credentials. No credentials is anonymous; wrong ones are
 * refused (401), never downgraded to anonymous, so a client learns its token died.
 */
export async function authenticate(deps: Dependencies, presented: PresentedCredentials): Promise<Principal> {
  if (presented.adminSecret !== undefined) {
    if (presented.adminSecret.trim() === '') throw new AppError('unauthorized', 'send the admin secret in the X-Admin-Secret header');
    if (!deps.credentials.isAdminSecret(presented.adminSecret)) throw new AppError('forbidden', 'the X-Admin-Secret header does not match');
    return { kind: 'admin' };
  }
  const key = presented.apiKey ?? (presented.bearer?.startsWith(`${API_KEY_PREFIX}_`) ? presented.bearer : undefined);
  if (key !== undefined) return apiKeyPrincipal(deps, key);
  if (presented.bearer !== undefined) return userPrincipal(deps, presented.bearer);
  return ANONYMOUS;
}

async function apiKeyPrincipal(deps: Dependencies, key: string): Promise<Principal> {
  const stored = await deps.access.apiKeyByHash(deps.credentials.digest(key));
  if (!stored || stored.revokedAt !== null) throw new AppError('unauthorized', 'this API key is not valid (unknown or revoked)');
  const now = deps.clock.now();
  if (stored.lastUsedAt === null || now - stored.lastUsedAt >= TOUCH_EVERY_MS) await deps.access.touchApiKey(stored.id, now);
  return { kind: 'apiKey', keyId: stored.id, restaurantId: stored.restaurantId, scopes: stored.scopes };
}

/** The principal of a signed-in user, with the roles they hold now (a removed member loses access at once). */
async function userPrincipal(deps: Dependencies, accessToken: string): Promise<Principal> {
  const userId = await deps.credentials.verifyAccessToken(accessToken);
  const user = userId ? await deps.access.userById(userId) : null;
  if (!user) throw new AppError('unauthorized', 'the access token is not valid or has expired; sign in or refresh it');
  if (user.admin) return { kind: 'admin', userId: user.id };
  const roles: Record<string, Role> = {};
  for (const membership of await deps.access.membershipsOfUser(user.id)) roles[membership.restaurantId] = membership.role;
  return { kind: 'user', userId: user.id, roles };
}
