import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ADMIN_SECRET, startServer, type BookingBody, type Reply, type StartOptions, type TestServer } from '../support/server.js';

/**
 * Two restaurants with a full crew each, for the OWASP API Top 10 tests:
 * R1 (the demo: sector S1, tables T1–T5) and R2 (sector S2, T21 for 1–4 and
 * T22 for 4–8; parties of 6 or more are held for approval).
 */

export const PASSWORD = 'correct horse battery staple';
export const ADMIN: Readonly<Record<string, string>> = { 'x-admin-secret': ADMIN_SECRET };
export const R1 = { restaurantId: 'R1', sectorId: 'S1' } as const;
export const R2 = { restaurantId: 'R2', sectorId: 'S2' } as const;
export const ZONE = 'America/Argentina/Buenos_Aires';

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
export const xApiKey = (key: string): Record<string, string> => ({ 'x-api-key': key });
export const bookingToken = (token: string): Record<string, string> => ({ 'x-booking-token': token });

export type Role = 'owner' | 'manager' | 'host';

export interface Staff {
  id: string;
  email: string;
  /** `Authorization: Bearer <access token>`. */
  headers: Record<string, string>;
}

type Crew = Record<Role, Staff>;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

export interface UserBody {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  createdAt: string;
}

export interface ApiKeyBody {
  id: string;
  restaurantId: string;
  name: string;
  scopes: string[];
  key: string;
  createdAt: string;
}

/** A booking as the create answer carries it: with the guest's manage token. */
export type CreatedBody = BookingBody & {
  manageToken?: string;
  guestId?: string;
  guestEmail?: string;
  guestPhone?: string;
  notes?: string;
  status: string;
};

export interface Tenants {
  ctx: TestServer;
  r1: Crew;
  r2: Crew;
}

export const GUEST = {
  guestName: 'Ofelia Guest-Data',
  guestEmail: 'ofelia.guest@private.example',
  guestPhone: '+54 11 4444-0001',
  notes: 'anniversary, gluten free',
} as const;
export const GUEST_FIELDS = ['guestName', 'guestEmail', 'guestPhone', 'notes'] as const;

let days = 0;
/** A date no other booking of this file uses, so that tests never compete for seats. */
export function freshDate(): string {
  const day = new Date(Date.UTC(2026, 0, 5) + days++ * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** A party of 2 for 90 minutes at dinner, on a date of its own. */
export function bookingRequest(
  where: { restaurantId: string; sectorId: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...where, date: freshDate(), partySize: 2, durationMinutes: 90, windowStart: '20:00', windowEnd: '23:45', ...extra };
}

export function book(ctx: TestServer, headers: Record<string, string>, body: Record<string, unknown>, more: Record<string, string> = {}) {
  return ctx.request<CreatedBody>('POST', '/api/v1/woki/bookings', { body, headers: { ...headers, ...more } });
}

/** A booking made as the platform admin, with guest data; `expect`s it was created. */
export async function bookAsAdmin(ctx: TestServer, where: { restaurantId: string; sectorId: string }, extra: Record<string, unknown> = {}) {
  const created = await book(ctx, ADMIN, bookingRequest(where, { ...GUEST, ...extra }));
  expect(created.status, created.text).toBe(201);
  return created.body;
}

export async function createUser(ctx: TestServer, label: string, admin = false): Promise<UserBody> {
  const email = `${label}-${randomUUID().slice(0, 8)}@staff.example`;
  const created = await ctx.request<UserBody>('POST', '/api/v1/admin/users', {
    body: { email, password: PASSWORD, name: label, admin },
    headers: ADMIN,
  });
  expect(created.status, created.text).toBe(201);
  return created.body;
}

export async function login(ctx: TestServer, email: string, password = PASSWORD): Promise<Reply<TokenPair>> {
  return ctx.request<TokenPair>('POST', '/api/v1/auth/login', { body: { email, password } });
}

export async function signIn(ctx: TestServer, email: string): Promise<TokenPair> {
  const pair = await login(ctx, email);
  expect(pair.status, pair.text).toBe(200);
  return pair.body;
}

/** A new user with `role` in `restaurantId`, signed in. */
export async function staffMember(ctx: TestServer, restaurantId: string, role: Role): Promise<Staff> {
  const user = await createUser(ctx, `${restaurantId.toLowerCase()}-${role}`);
  const member = await ctx.request('POST', `/api/v1/restaurants/${restaurantId}/members`, {
    body: { userId: user.id, role },
    headers: ADMIN,
  });
  expect(member.status, member.text).toBe(201);
  const { accessToken } = await signIn(ctx, user.email);
  return { id: user.id, email: user.email, headers: bearer(accessToken) };
}

/** An API key of `restaurantId`, issued by the platform admin. */
export async function issueKey(ctx: TestServer, restaurantId: string, scopes: string[]): Promise<ApiKeyBody> {
  const created = await ctx.request<ApiKeyBody>('POST', `/api/v1/restaurants/${restaurantId}/api-keys`, {
    body: { name: `key ${scopes.join(' ')}`, scopes },
    headers: ADMIN,
  });
  expect(created.status, created.text).toBe(201);
  return created.body;
}

export const ALL_SCOPES = ['availability:read', 'bookings:read', 'bookings:write', 'staff:write', 'webhooks:manage'];

async function registerR2(ctx: TestServer): Promise<void> {
  const steps: [string, Record<string, unknown>][] = [
    [
      '/api/v1/admin/restaurants',
      {
        id: 'R2',
        name: 'Second Kitchen',
        timezone: ZONE,
        windows: [{ start: '12:00', end: '23:45' }],
        largeGroups: { threshold: 6, holdMinutes: 600 },
      },
    ],
    ['/api/v1/admin/sectors', { id: 'S2', restaurantId: 'R2', name: 'Patio' }],
    ['/api/v1/admin/tables', { id: 'T21', sectorId: 'S2', minSize: 1, maxSize: 4 }],
    ['/api/v1/admin/tables', { id: 'T22', sectorId: 'S2', minSize: 4, maxSize: 8 }],
  ];
  for (const [path, body] of steps) {
    const created = await ctx.request('POST', path, { body, headers: ADMIN });
    expect(created.status, created.text).toBe(201);
  }
}

async function crewOf(ctx: TestServer, restaurantId: string): Promise<Crew> {
  const [owner, manager, host] = await Promise.all(
    (['owner', 'manager', 'host'] as const).map((role) => staffMember(ctx, restaurantId, role)),
  );
  return { owner: owner!, manager: manager!, host: host! };
}

/** A server with the demo R1, a second restaurant R2, and an owner, a manager and a host signed in for each. */
export async function startTenants(options: StartOptions = {}): Promise<Tenants> {
  const ctx = await startServer({ seed: true, ...options });
  await registerR2(ctx);
  const [r1, r2] = await Promise.all([crewOf(ctx, 'R1'), crewOf(ctx, 'R2')]);
  return { ctx, r1: r1!, r2: r2! };
}

/** `body` with every occurrence of each id replaced by a placeholder: two 404s compared for what they give away. */
export function withoutIds(body: unknown, ids: string[]): unknown {
  let text = JSON.stringify(body);
  for (const id of ids) text = text.split(id).join('<id>');
  return JSON.parse(text);
}
