import type { Booking } from '../../domain/bookings/booking.js';
import type { Restaurant } from '../../domain/restaurants/restaurant.js';
import { AppError } from '../../errors/catalogue.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { decideAccess, type Action, type Target } from './policy.js';
import { ANONYMOUS, type Principal } from './principal.js';

/** In-process callers (the sweeper, the CLI, tests) name no principal: they act for the platform. */
const PLATFORM: Principal = { kind: 'admin' };

/**
 * Who the caller is for this object: an anonymous caller that presents the
 * object's manage token is its guest.
 */
export function principalFor(deps: Dependencies, caller: Caller, resource?: string): Principal {
  // Only a caller that names no principal at all is in-process; a null one (a request not yet authenticated) is nobody.
  const principal = caller.principal === undefined ? PLATFORM : (caller.principal ?? ANONYMOUS);
  if (principal.kind === 'anonymous' && resource && caller.manageToken && deps.credentials.isManageToken(resource, caller.manageToken)) {
    return { kind: 'guest', resource };
  }
  return principal;
}

/** Throws the refusal when the caller may not do `action` on `target`. */
export function requireAccess(deps: Dependencies, caller: Caller, action: Action, target: Target): void {
  const decision = decideAccess(principalFor(deps, caller, target.resource), action, target);
  if (decision !== 'allowed') throw new AppError(decision.code, decision.detail);
}

export function mayAccess(deps: Dependencies, caller: Caller, action: Action, target: Target): boolean {
  return decideAccess(principalFor(deps, caller, target.resource), action, target) === 'allowed';
}

/** The target of an action on a restaurant's things; a restaurant that does not exist is left to the use case's 404. */
export async function restaurantTarget(deps: Dependencies, restaurantId: string): Promise<Target> {
  return targetOf(restaurantId, await deps.reads.restaurant(restaurantId));
}

export function targetOf(restaurantId: string, restaurant: Restaurant | null): Target {
  return { restaurantId, publicBooking: restaurant?.publicBooking };
}

export const bookingResource = (id: string) => `booking:${id}`;
export const waitlistResource = (id: string) => `waitlist:${id}`;

/**
 * Access to an object its restaurant owns. An absent object is 401 to a caller
 * without credentials and 404 to anyone else — the answer someone with no
 * standing in the owner's restaurant gets too, so ids cannot be probed.
 */
export async function requireAccessTo(
  deps: Dependencies,
  caller: Caller,
  action: Action,
  owner: { restaurantId: string } | null | undefined,
  missing: string,
  resource?: string,
): Promise<void> {
  if (!owner) {
    if (principalFor(deps, caller).kind === 'anonymous') requireAccess(deps, caller, action, {});
    throw new AppError('not_found', `${missing} does not exist`);
  }
  const target = { ...(await restaurantTarget(deps, owner.restaurantId)), resource };
  const decision = decideAccess(principalFor(deps, caller, resource), action, target);
  // The same answer, word for word, as for an id that does not exist.
  if (decision !== 'allowed') {
    throw new AppError(decision.code, decision.code === 'not_found' ? `${missing} does not exist` : decision.detail);
  }
}

/** The booking an action is about, once the caller may do it. */
export async function requireBookingAccess(deps: Dependencies, caller: Caller, action: Action, id: string): Promise<Booking> {
  const found = await deps.reads.booking(id);
  await requireAccessTo(deps, caller, action, found?.value, `booking ${id}`, bookingResource(id));
  return found!.value;
}
