import type { Booking } from '../../domain/bookings/booking.js';
import { countVisits, type GuestProfile } from '../../domain/guests/guestProfile.js';
import { formatInstant } from '../../domain/time/zone.js';
import { AppError } from '../../errors/catalogue.js';
import type { GuestBrief, GuestSearchQuery, GuestView } from '../contracts/guests.js';
import type { Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';

const LATEST_BOOKINGS = 20;

/** The profile with its counts, read from its bookings and those of the profiles merged into it. */
function guestView(profile: GuestProfile, bookings: readonly Booking[], zone: string, withBookings = false): GuestView {
  const counts = countVisits(bookings);
  const view: GuestView = {
    id: profile.id,
    restaurantId: profile.restaurantId,
    phones: [...profile.phones],
    emails: [...profile.emails],
    tags: [...profile.tags],
    visits: counts.visits,
    cancellations: counts.cancellations,
    noShows: counts.noShows,
    upcoming: counts.upcoming,
    mergedIds: [...profile.mergedIds],
    createdAt: formatInstant(zone, profile.createdAt, true),
    updatedAt: formatInstant(zone, profile.updatedAt, true),
  };
  if (profile.name !== undefined) view.name = profile.name;
  if (profile.notes !== undefined) view.notes = profile.notes;
  if (counts.lastVisitAt !== undefined) view.lastVisitAt = formatInstant(zone, counts.lastVisitAt, true);
  if (profile.erasedAt !== undefined) view.erasedAt = formatInstant(zone, profile.erasedAt, true);
  if (withBookings) {
    view.bookings = bookings
      .slice(-LATEST_BOOKINGS)
      .reverse()
      .map((booking) => ({
        id: booking.id,
        date: booking.date,
        start: formatInstant(zone, booking.start),
        partySize: booking.partySize,
        status: booking.status,
      }));
  }
  return view;
}

const bookingsOf = (deps: Dependencies, profile: GuestProfile) => deps.guests.bookingsOfGuests([profile.id, ...profile.mergedIds]);

/** The profile, merged away or erased as it may be; 404 when there is none. */
export async function requireGuest(deps: Dependencies, id: string): Promise<GuestProfile> {
  const profile = await deps.guests.guest(id);
  if (!profile) throw new AppError('not_found', `guest ${id} does not exist`);
  return profile;
}

export async function getGuest(deps: Dependencies, profile: GuestProfile): Promise<GuestView> {
  if (profile.mergedInto !== undefined) {
    throw new AppError('guest_unavailable', `guest ${profile.id} was merged into ${profile.mergedInto}`, {
      mergedInto: profile.mergedInto,
    });
  }
  const { timezone } = await requireRestaurant(deps.reads, profile.restaurantId);
  return guestView(profile, await bookingsOf(deps, profile), timezone, true);
}

export async function searchGuests(deps: Dependencies, query: GuestSearchQuery): Promise<{ items: GuestView[] }> {
  const { timezone } = await requireRestaurant(deps.reads, query.restaurantId);
  const profiles = await deps.guests.searchGuests(query.restaurantId, query.query ?? '', query.limit);
  const items = await Promise.all(profiles.map(async (profile) => guestView(profile, await bookingsOf(deps, profile), timezone)));
  return { items };
}

/** What the host sees of each guest when seating: counts and tags, never contacts. */
export async function guestBriefs(deps: Dependencies, guestIds: readonly string[]): Promise<Map<string, GuestBrief>> {
  const briefs = new Map<string, GuestBrief>();
  for (const id of new Set(guestIds)) {
    const profile = await deps.guests.guest(id);
    if (!profile) continue;
    const owner = profile.mergedInto === undefined ? profile : ((await deps.guests.guest(profile.mergedInto)) ?? profile);
    const counts = countVisits(await bookingsOf(deps, owner));
    briefs.set(id, { id: owner.id, visits: counts.visits, noShows: counts.noShows, tags: [...owner.tags] });
  }
  return briefs;
}
