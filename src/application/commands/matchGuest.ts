import { normalizeEmail, normalizePhone } from '../../domain/guests/contacts.js';
import type { Guest } from '../../domain/bookings/booking.js';
import type { Dependencies } from '../dependencies.js';

/**
 * The profile a booking's or waiting party's guest belongs to, by normalized phone
 * or email, created on first sight; none without either (a name alone matches nobody).
 */
export async function matchGuest(deps: Dependencies, restaurantId: string, guest: Guest): Promise<string | undefined> {
  const phone = guest.guestPhone === undefined ? undefined : normalizePhone(guest.guestPhone);
  const email = guest.guestEmail === undefined ? undefined : normalizeEmail(guest.guestEmail);
  if (phone === undefined && email === undefined) return undefined;
  const now = deps.clock.now();
  const profile = await deps.guests.matchGuest(
    restaurantId,
    { phone, email },
    {
      id: deps.ids.guestId(),
      restaurantId,
      name: guest.guestName,
      phones: phone === undefined ? [] : [phone],
      emails: email === undefined ? [] : [email],
      tags: [],
      mergedIds: [],
      createdAt: now,
      updatedAt: now,
    },
  );
  return profile.id;
}
