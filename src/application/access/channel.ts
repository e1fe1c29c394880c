import type { Channel } from '../../domain/restaurants/restaurant.js';
import { AppError } from '../../errors/catalogue.js';
import type { Caller } from '../dependencies.js';

/**
 * The channel a caller books and discovers through (SPEC §9): the house's staff
 * (a staff user of the restaurant, the platform admin, in-process callers with no
 * principal) book `staff`; the public (anonymous callers, guests holding a manage
 * token, integrators' API keys) book `online`. With `restaurantId`, a staff user
 * who holds no role there books as the public does, `online`.
 */
export function channelOfCaller(caller: Caller, restaurantId?: string): Channel {
  const principal = caller.principal;
  if (!principal) return 'staff';
  switch (principal.kind) {
    case 'admin':
      return 'staff';
    case 'user':
      return restaurantId === undefined || principal.roles[restaurantId] !== undefined ? 'staff' : 'online';
    case 'apiKey':
    case 'guest':
    case 'anonymous':
      return 'online';
  }
}

/** The channel of a create and whether it overrides pacing: only staff may (403 `forbidden` otherwise). */
export function bookingChannel(
  caller: Caller,
  restaurantId: string,
  override: boolean | undefined,
): { channel: Channel; pacingOverride: boolean } {
  const channel = channelOfCaller(caller, restaurantId);
  if (override === true && channel !== 'staff') {
    throw new AppError('forbidden', 'only the restaurant staff may override pacing');
  }
  return { channel, pacingOverride: override === true };
}
