import { AppError } from '../../errors/catalogue.js';
import type { ApiKeyBody, ApiKeyView, CreateUserBody, MemberBody, MemberView, UserView } from '../contracts/access.js';
import type { Caller, Dependencies } from '../dependencies.js';
import type { Membership, StoredApiKey, StoredUser } from '../ports/accessStore.js';
import { requireAccess, restaurantTarget } from './accessControl.js';
import { API_KEY_PREFIX } from './authenticate.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const userView = (user: StoredUser): UserView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  admin: user.admin,
  createdAt: iso(user.createdAt),
});

const memberView = (membership: Membership): MemberView => ({ ...membership, createdAt: iso(membership.createdAt) });

const apiKeyView = (key: StoredApiKey): ApiKeyView => ({
  id: key.id,
  restaurantId: key.restaurantId,
  name: key.name,
  scopes: key.scopes,
  createdAt: iso(key.createdAt),
  lastUsedAt: key.lastUsedAt === null ? null : iso(key.lastUsedAt),
  revokedAt: key.revokedAt === null ? null : iso(key.revokedAt),
});

/** Platform admins only. The password is hashed (scrypt) and never answered. */
export async function createUser(deps: Dependencies, body: CreateUserBody, caller: Caller): Promise<UserView> {
  requireAccess(deps, caller, 'administerPlatform', {});
  const now = deps.clock.now();
  const user: StoredUser = {
    id: deps.ids.userId(),
    email: body.email,
    name: body.name,
    passwordHash: await deps.credentials.hashPassword(body.password),
    admin: body.admin,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await deps.access.createUser(user))) throw new AppError('already_exists', `a user with email ${body.email} exists`);
  return userView(user);
}

/** The restaurant, once the caller may configure it (owner or platform admin); 404 when it does not exist. */
async function requireOwnerOf(deps: Dependencies, caller: Caller, restaurantId: string): Promise<void> {
  requireAccess(deps, caller, 'configureRestaurant', await restaurantTarget(deps, restaurantId));
  if (!(await deps.reads.restaurant(restaurantId))) throw new AppError('not_found', `restaurant ${restaurantId} does not exist`);
}

export async function addMember(deps: Dependencies, restaurantId: string, body: MemberBody, caller: Caller): Promise<MemberView> {
  await requireOwnerOf(deps, caller, restaurantId);
  if (!(await deps.access.userById(body.userId))) throw new AppError('not_found', `user ${body.userId} does not exist`);
  const membership: Membership = { restaurantId, userId: body.userId, role: body.role, createdAt: deps.clock.now() };
  await deps.access.putMembership(membership);
  return memberView(membership);
}

export async function listMembers(deps: Dependencies, restaurantId: string, caller: Caller): Promise<{ items: MemberView[] }> {
  await requireOwnerOf(deps, caller, restaurantId);
  return { items: (await deps.access.membersOf(restaurantId)).map(memberView) };
}

export async function removeMember(deps: Dependencies, restaurantId: string, userId: string, caller: Caller): Promise<void> {
  await requireOwnerOf(deps, caller, restaurantId);
  if (!(await deps.access.removeMembership(restaurantId, userId)))
    throw new AppError('not_found', `user ${userId} is no member of ${restaurantId}`);
}

/** The key is answered once, here; only its digest is kept. */
export async function createApiKey(
  deps: Dependencies,
  restaurantId: string,
  body: ApiKeyBody,
  caller: Caller,
): Promise<ApiKeyView & { key: string }> {
  await requireOwnerOf(deps, caller, restaurantId);
  const key = deps.credentials.newSecret(API_KEY_PREFIX);
  const stored: StoredApiKey = {
    id: deps.ids.apiKeyId(),
    restaurantId,
    name: body.name,
    scopes: body.scopes,
    keyHash: deps.credentials.digest(key),
    createdBy: caller.actor,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.access.createApiKey(stored);
  return { ...apiKeyView(stored), key };
}

export async function listApiKeys(deps: Dependencies, restaurantId: string, caller: Caller): Promise<{ items: ApiKeyView[] }> {
  await requireOwnerOf(deps, caller, restaurantId);
  return { items: (await deps.access.apiKeysOf(restaurantId)).map(apiKeyView) };
}

export async function revokeApiKey(deps: Dependencies, restaurantId: string, keyId: string, caller: Caller): Promise<void> {
  await requireOwnerOf(deps, caller, restaurantId);
  if (!(await deps.access.revokeApiKey(restaurantId, keyId, deps.clock.now()))) {
    throw new AppError('not_found', `restaurant ${restaurantId} has no live API key ${keyId}`);
  }
}
