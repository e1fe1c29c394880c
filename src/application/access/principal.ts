/** Roles a staff user holds per restaurant; each includes those below it. */
export const ROLES = ['host', 'manager', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** What an integrator's API key may do, within its one restaurant. */
export const SCOPES = ['availability:read', 'bookings:read', 'bookings:write', 'staff:write', 'webhooks:manage'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Who is asking, as every protocol adapter resolves it from the credentials it
 * received. The application decides what each may do (see `policy.ts`).
 */
export type Principal =
  /** The bootstrap `X-Admin-Secret`, or a user flagged admin: may do everything. */
  | { kind: 'admin'; userId?: string | undefined }
  /** A staff user, with a role per restaurant. */
  | { kind: 'user'; userId: string; roles: Readonly<Record<string, Role>> }
  /** An integrator's key: one restaurant, some scopes. */
  | { kind: 'apiKey'; keyId: string; restaurantId: string; scopes: readonly Scope[] }
  /** A guest holding the manage token of one booking or waitlist entry: `booking:<id>` or `waitlist:<id>`. */
  | { kind: 'guest'; resource: string }
  | { kind: 'anonymous' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The name a principal is recorded under in event metadata and logs (never a secret, never guest data). */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'admin':
      return principal.userId ? `user:${principal.userId}` : 'admin';
    case 'user':
      return `user:${principal.userId}`;
    case 'apiKey':
      return `key:${principal.keyId}`;
    case 'guest':
      return `guest:${principal.resource}`;
    case 'anonymous':
      return 'anonymous';
  }
}
