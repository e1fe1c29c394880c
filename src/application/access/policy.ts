import { ROLES, type Principal, type Role, type Scope } from './principal.js';

/** What a caller asks to do; every use case names one. */
export type Action =
  | 'discover'
  | 'book'
  | 'readBooking'
  | 'cancelBooking'
  /** Day lists, history, as-of, waitlist entries, blackout lists. */
  | 'readBookings'
  /** Approve or reject holds; seat, finish, no-show, walk-ins; guest profiles. */
  | 'serveFloor'
  /** Blackouts, repack, pacing, channels, reports. */
  | 'manageService'
  /** Sectors, tables, duration rules, members, API keys, guest erasure. */
  | 'configureRestaurant'
  | 'manageWebhooks'
  /** Restaurants, users, seed, platform information. */
  | 'administerPlatform';

interface Rule {
  /** Anyone may, where the restaurant takes public bookings. */
  public?: true;
  /** The guest holding the object's manage token may. */
  guest?: true;
  /** The least staff role that may (a role includes those below it). */
  role?: Role;
  /** The API key scope that allows it. */
  scope?: Scope;
}

/** SPEC §5's matrix, in one table. The platform admin may do everything. */
export const POLICY: Readonly<Record<Action, Rule>> = {
  discover: { public: true, role: 'host', scope: 'availability:read' },
  book: { public: true, role: 'host', scope: 'bookings:write' },
  readBooking: { guest: true, role: 'host', scope: 'bookings:read' },
  cancelBooking: { guest: true, role: 'host', scope: 'bookings:write' },
  readBookings: { role: 'host', scope: 'bookings:read' },
  serveFloor: { role: 'host', scope: 'staff:write' },
  manageService: { role: 'manager', scope: 'staff:write' },
  configureRestaurant: { role: 'owner' },
  manageWebhooks: { role: 'owner', scope: 'webhooks:manage' },
  administerPlatform: {},
};

/** What the action is about: the restaurant that owns it (none for platform actions). */
export interface Target {
  restaurantId?: string | undefined;
  /** The restaurant's `publicBooking` (default true). */
  publicBooking?: boolean | undefined;
  /** `booking:<id>` or `waitlist:<id>`, for a guest's manage token. */
  resource?: string | undefined;
}

const rank = (role: Role) => ROLES.indexOf(role);

/** Why an action is refused: the catalogue code and detail its error will carry (made only when it is thrown). */
export interface Refusal {
  code: 'unauthorized' | 'forbidden' | 'not_found';
  detail: string;
}

const refuse = (code: Refusal['code'], detail: string): Refusal => ({ code, detail });

/**
 * Whether `principal` may do `action` on `target`: `'allowed'`, or the refusal to
 * answer. Someone with no standing in the target's restaurant gets `not_found`,
 * exactly as for an object that does not exist, so ids cannot be probed.
 */
export function decideAccess(principal: Principal, action: Action, target: Target): 'allowed' | Refusal {
  const rule = POLICY[action];
  if (principal.kind === 'admin') return 'allowed';
  const restaurantId = target.restaurantId;
  if (rule.public && restaurantId !== undefined && target.publicBooking !== false) return 'allowed';
  switch (principal.kind) {
    case 'anonymous':
      return refuse('unauthorized', `sign in to ${describe(action)}`);
    case 'guest':
      if (rule.guest && target.resource === principal.resource) return 'allowed';
      return refuse('forbidden', `a manage token lets a guest read or cancel its own booking only`);
    case 'user': {
      if (restaurantId === undefined) return refuse('forbidden', `only a platform admin may ${describe(action)}`);
      const role = principal.roles[restaurantId];
      if (!role) return refuse('not_found', `restaurant ${restaurantId} does not exist`);
      if (rule.role && rank(role) >= rank(rule.role)) return 'allowed';
      return refuse('forbidden', `a ${role} may not ${describe(action)}${rule.role ? `; it takes ${rule.role}` : ''}`);
    }
    case 'apiKey':
      if (restaurantId === undefined) return refuse('forbidden', `an API key may not ${describe(action)}`);
      if (principal.restaurantId !== restaurantId) return refuse('not_found', `restaurant ${restaurantId} does not exist`);
      if (rule.scope && principal.scopes.includes(rule.scope)) return 'allowed';
      return refuse('forbidden', rule.scope ? `this API key lacks the ${rule.scope} scope` : `an API key may not ${describe(action)}`);
  }
}

const DESCRIPTIONS: Record<Action, string> = {
  discover: 'look for tables here',
  book: 'book here',
  readBooking: 'read this booking',
  cancelBooking: 'cancel this booking',
  readBookings: 'read bookings',
  serveFloor: 'run the floor',
  manageService: 'manage the service',
  configureRestaurant: 'configure the restaurant',
  manageWebhooks: 'manage webhooks',
  administerPlatform: 'administer the platform',
};

const describe = (action: Action) => DESCRIPTIONS[action];
