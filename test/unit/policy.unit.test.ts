import { describe, expect, it } from 'vitest';
import { decideAccess, POLICY, type Action, type Target } from '../../src/application/access/policy.js';
import { ROLES, SCOPES, type Principal } from '../../src/application/access/principal.js';
import { AppError } from '../../src/errors/catalogue.js';

/**
 * SPEC §5 "What each may do", written out by hand, cell by cell: every action
 * against every kind of principal, role and API key scope. Nothing here is
 * derived from POLICY, so a change to the table that the SPEC does not make
 * fails here.
 *
 *   Y   allowed
 *   401 unauthorized (anonymous)
 *   403 forbidden (standing in the restaurant, but not enough)
 *   404 not_found (no standing in the object's restaurant: ids cannot be probed)
 *
 * Columns: ano anonymous, gOw/gOt guest token of this / another booking, hst mgr own
 * the R1 roles, str a user with a role elsewhere only, nor a user with no role, kAv kRd
 * kWr kSt kWh kNo R1 API keys with availability:read, bookings:read, bookings:write,
 * staff:write, webhooks:manage, no scope; kFo an R2 key with every scope; adm the
 * admin secret, adU an admin user.
 */
type Outcome = 'Y' | 401 | 403 | 404;

const PRINCIPALS = {
  anonymous: { kind: 'anonymous' },
  /** Holds the manage token of the target booking. */
  guestOwn: { kind: 'guest', resource: 'booking:B1' },
  /** Holds the manage token of another booking. */
  guestOther: { kind: 'guest', resource: 'booking:B2' },
  host: { kind: 'user', userId: 'u-host', roles: { R1: 'host' } },
  manager: { kind: 'user', userId: 'u-manager', roles: { R1: 'manager', R2: 'host' } },
  owner: { kind: 'user', userId: 'u-owner', roles: { R1: 'owner' } },
  /** Owner elsewhere, nothing in R1. */
  stranger: { kind: 'user', userId: 'u-stranger', roles: { R2: 'owner' } },
  noRoles: { kind: 'user', userId: 'u-none', roles: {} },
  keyAvailability: { kind: 'apiKey', keyId: 'k1', restaurantId: 'R1', scopes: ['availability:read'] },
  keyRead: { kind: 'apiKey', keyId: 'k2', restaurantId: 'R1', scopes: ['bookings:read'] },
  keyWrite: { kind: 'apiKey', keyId: 'k3', restaurantId: 'R1', scopes: ['bookings:write'] },
  keyStaff: { kind: 'apiKey', keyId: 'k4', restaurantId: 'R1', scopes: ['staff:write'] },
  keyWebhooks: { kind: 'apiKey', keyId: 'k5', restaurantId: 'R1', scopes: ['webhooks:manage'] },
  keyNone: { kind: 'apiKey', keyId: 'k6', restaurantId: 'R1', scopes: [] },
  /** Every scope, but of R2. */
  keyForeign: { kind: 'apiKey', keyId: 'k7', restaurantId: 'R2', scopes: [...SCOPES] },
  admin: { kind: 'admin' },
  adminUser: { kind: 'admin', userId: 'u-root' },
} satisfies Record<string, Principal>;

type Who = keyof typeof PRINCIPALS;
type Row = Record<Who, Outcome>;

const COLUMNS: Who[] = [
  'anonymous',
  'guestOwn',
  'guestOther',
  'host',
  'manager',
  'owner',
  'stranger',
  'noRoles',
  'keyAvailability',
  'keyRead',
  'keyWrite',
  'keyStaff',
  'keyWebhooks',
  'keyNone',
  'keyForeign',
  'admin',
  'adminUser',
];

const row = (...cells: Outcome[]): Row => {
  expect(cells).toHaveLength(COLUMNS.length);
  return Object.fromEntries(COLUMNS.map((who, i) => [who, cells[i]!])) as Row;
};

/** A booking of R1 where the restaurant takes no public bookings: only standing counts. */
// prettier-ignore
const PRIVATE: Record<Exclude<Action, 'administerPlatform'>, () => Row> = {
  //                             ano  gOw  gOt  hst  mgr  own  str  nor  kAv  kRd  kWr  kSt  kWh  kNo  kFo  adm  adU
  discover: () =>            row(401, 403, 403, 'Y', 'Y', 'Y', 404, 404, 'Y', 403, 403, 403, 403, 403, 404, 'Y', 'Y'),
  book: () =>                row(401, 403, 403, 'Y', 'Y', 'Y', 404, 404, 403, 403, 'Y', 403, 403, 403, 404, 'Y', 'Y'),
  readBooking: () =>         row(401, 'Y', 403, 'Y', 'Y', 'Y', 404, 404, 403, 'Y', 403, 403, 403, 403, 404, 'Y', 'Y'),
  cancelBooking: () =>       row(401, 'Y', 403, 'Y', 'Y', 'Y', 404, 404, 403, 403, 'Y', 403, 403, 403, 404, 'Y', 'Y'),
  readBookings: () =>        row(401, 403, 403, 'Y', 'Y', 'Y', 404, 404, 403, 'Y', 403, 403, 403, 403, 404, 'Y', 'Y'),
  serveFloor: () =>          row(401, 403, 403, 'Y', 'Y', 'Y', 404, 404, 403, 403, 403, 'Y', 403, 403, 404, 'Y', 'Y'),
  manageService: () =>       row(401, 403, 403, 403, 'Y', 'Y', 404, 404, 403, 403, 403, 'Y', 403, 403, 404, 'Y', 'Y'),
  configureRestaurant: () => row(401, 403, 403, 403, 403, 'Y', 404, 404, 403, 403, 403, 403, 403, 403, 404, 'Y', 'Y'),
  manageWebhooks: () =>      row(401, 403, 403, 403, 403, 'Y', 404, 404, 403, 403, 403, 403, 'Y', 403, 404, 'Y', 'Y'),
};

/** Where the restaurant takes public bookings, anyone may discover and book; every other cell is as above. */
// prettier-ignore
const PUBLIC_OVERRIDES: Partial<Record<Action, () => Row>> = {
  //                             ano  gOw  gOt  hst  mgr  own  str  nor  kAv  kRd  kWr  kSt  kWh  kNo  kFo  adm  adU
  discover: () =>            row('Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y'),
  book: () =>                row('Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y'),
};

/** Restaurants, users, seed, platform information: no restaurant owns them. */
// prettier-ignore
const PLATFORM = (): Row =>
  //  ano  gOw  gOt  hst  mgr  own  str  nor  kAv  kRd  kWr  kSt  kWh  kNo  kFo  adm  adU
  row(401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 'Y', 'Y');

const R1_BOOKING = { restaurantId: 'R1', resource: 'booking:B1' } as const;

function outcome(principal: Principal, action: Action, target: Target): Outcome {
  const decision = decideAccess(principal, action, target);
  if (decision === 'allowed') return 'Y';
  const error = new AppError(decision.code, decision.detail);
  const byCode: Record<string, Outcome> = { unauthorized: 401, forbidden: 403, not_found: 404 };
  const code = byCode[decision.code];
  expect(code, `unexpected refusal ${decision.code}`).toBeDefined();
  expect(error.status).toBe(code);
  expect(decision.detail.length).toBeGreaterThan(0);
  return code!;
}

const cases = (target: Target, table: Partial<Record<Action, () => Row>>) =>
  Object.entries(table).flatMap(([action, make]) => {
    const expected = make();
    return COLUMNS.map((who) => ({ action: action as Action, who, expected: expected[who], target }));
  });

describe('the access policy against SPEC §5, cell by cell', () => {
  it('the table covers every action, role and scope there is', () => {
    expect(Object.keys(POLICY).sort()).toEqual([...Object.keys(PRIVATE), 'administerPlatform'].sort());
    expect([...ROLES].sort()).toEqual(['host', 'manager', 'owner']);
    expect([...SCOPES].sort()).toEqual(['availability:read', 'bookings:read', 'bookings:write', 'staff:write', 'webhooks:manage']);
  });

  describe('a restaurant without public booking', () => {
    it.each(cases({ ...R1_BOOKING, publicBooking: false }, PRIVATE))('$action by $who: $expected', ({ action, who, expected, target }) => {
      expect(outcome(PRINCIPALS[who], action, target)).toBe(expected);
    });
  });

  describe('a restaurant with public booking (true, or unset: the default)', () => {
    const table = { ...PRIVATE, ...PUBLIC_OVERRIDES };
    it.each([...cases({ ...R1_BOOKING, publicBooking: true }, table), ...cases({ ...R1_BOOKING }, table)])(
      '$action by $who (publicBooking $target.publicBooking): $expected',
      ({ action, who, expected, target }) => {
        expect(outcome(PRINCIPALS[who], action, target)).toBe(expected);
      },
    );
  });

  describe('platform actions', () => {
    it.each(cases({}, { administerPlatform: PLATFORM }))('$action by $who: $expected', ({ action, who, expected, target }) => {
      expect(outcome(PRINCIPALS[who], action, target)).toBe(expected);
    });
    it('a platform action stays the admin’s even when aimed at a restaurant the caller owns', () => {
      expect(outcome(PRINCIPALS.owner, 'administerPlatform', { restaurantId: 'R1' })).toBe(403);
      expect(outcome(PRINCIPALS.keyStaff, 'administerPlatform', { restaurantId: 'R1' })).toBe(403);
      expect(outcome(PRINCIPALS.admin, 'administerPlatform', { restaurantId: 'R1' })).toBe('Y');
    });
  });

  it('public actions need a restaurant: with none named, only standing counts', () => {
    expect(outcome(PRINCIPALS.anonymous, 'discover', {})).toBe(401);
    expect(outcome(PRINCIPALS.anonymous, 'book', { publicBooking: true })).toBe(401);
    expect(outcome(PRINCIPALS.host, 'book', {})).toBe(403);
  });

  it('a guest token opens its own object only, by exact resource name', () => {
    const guest = (resource: string): Principal => ({ kind: 'guest', resource });
    expect(outcome(guest('booking:B1'), 'readBooking', { restaurantId: 'R1', resource: 'booking:B1' })).toBe('Y');
    expect(outcome(guest('waitlist:B1'), 'readBooking', { restaurantId: 'R1', resource: 'booking:B1' })).toBe(403);
    expect(outcome(guest('booking:B1'), 'readBooking', { restaurantId: 'R1', resource: 'booking:B10' })).toBe(403);
    expect(outcome(guest('booking:B1'), 'readBooking', { restaurantId: 'R1' })).toBe(403);
    expect(outcome(guest('waitlist:W1'), 'cancelBooking', { restaurantId: 'R2', resource: 'waitlist:W1' })).toBe('Y');
  });
});
