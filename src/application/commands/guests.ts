import { erasedProfile, mergeProfiles, type GuestProfile } from '../../domain/guests/guestProfile.js';
import { AppError } from '../../errors/catalogue.js';
import type { GuestPatch, GuestView } from '../contracts/guests.js';
import type { Dependencies } from '../dependencies.js';
import { getGuest, requireGuest } from '../queries/guests.js';

function requireActive(profile: GuestProfile): void {
  if (profile.mergedInto !== undefined)
    throw new AppError('guest_unavailable', `guest ${profile.id} was merged into ${profile.mergedInto}`);
  if (profile.erasedAt !== undefined) throw new AppError('guest_unavailable', `guest ${profile.id} was erased`);
}

/** Staff's name, tags and notes on a profile. */
export async function updateGuest(deps: Dependencies, profile: GuestProfile, patch: GuestPatch): Promise<GuestView> {
  requireActive(profile);
  const updated: GuestProfile = { ...profile, updatedAt: deps.clock.now() };
  if (patch.name !== undefined) updated.name = patch.name;
  if (patch.tags !== undefined) updated.tags = patch.tags;
  if (patch.notes !== undefined) updated.notes = patch.notes ?? undefined;
  await deps.guests.saveGuests([updated]);
  return getGuest(deps, updated);
}

/** One guest who came with two contacts: `fromId`'s contacts, tags, notes and bookings join `into`. */
export async function mergeGuests(deps: Dependencies, into: GuestProfile, fromId: string): Promise<GuestView> {
  if (fromId === into.id) throw new AppError('invalid_input', '`from` is this very profile: nothing to merge');
  const from = await deps.guests.guest(fromId);
  // Another restaurant's profile reads as one that does not exist.
  if (!from || from.restaurantId !== into.restaurantId) throw new AppError('not_found', `guest ${fromId} does not exist`);
  requireActive(into);
  requireActive(from);
  const merged = mergeProfiles(into, from, deps.clock.now());
  // `from` first: the contacts it gives up are then claimed by `into`.
  await deps.guests.saveGuests([merged.from, merged.into]);
  return getGuest(deps, merged.into);
}

/**
 * Erases the guest and every profile merged into it: contacts, name, notes and
 * tags; the personal fields of their bookings and waiting entries; and the keys
 * that seal those fields in the log. Bookings keep their facts, so counts and
 * reports stay as they were. Erasing twice changes nothing more.
 */
export async function eraseGuest(deps: Dependencies, profile: GuestProfile): Promise<void> {
  if (profile.mergedInto !== undefined)
    throw new AppError('guest_unavailable', `guest ${profile.id} was merged into ${profile.mergedInto}`);
  const now = deps.clock.now();
  const merged = await Promise.all(profile.mergedIds.map((id) => requireGuest(deps, id)));
  await deps.guests.eraseGuests([profile, ...merged].map((each) => erasedProfile(each, now)));
}
