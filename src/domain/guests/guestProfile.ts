import type { Booking } from '../bookings/booking.js';

/**
 * What a restaurant knows of one guest. Contacts are normalized (phones E.164,
 * emails lower case), and a restaurant has at most one profile per contact.
 * Profiles are state, not events: personal data must be erasable, and the log
 * is append-only. The counts are not kept here but read from the guest's bookings,
 * so they stay right through merges and erasure.
 */
export interface GuestProfile {
  id: string;
  restaurantId: string;
  name?: string | undefined;
  phones: string[];
  emails: string[];
  tags: string[];
  notes?: string | undefined;
  /** Profiles folded into this one: their bookings count here, and erasing this one erases them. */
  mergedIds: string[];
  /** Set on a profile folded into another: it answers no more. */
  mergedInto?: string | undefined;
  /** When the guest's personal data was erased; the profile keeps only its id and counts. */
  erasedAt?: number | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface GuestCounts {
  /** Parties that sat down (seated or finished). */
  visits: number;
  cancellations: number;
  noShows: number;
  /** Bookings not yet come to pass: confirmed or held. */
  upcoming: number;
  lastVisitAt?: number | undefined;
}

/** The counts a guest's bookings add up to. */
export function countVisits(bookings: readonly Booking[]): GuestCounts {
  const counts: GuestCounts = { visits: 0, cancellations: 0, noShows: 0, upcoming: 0 };
  for (const booking of bookings) {
    switch (booking.status) {
      case 'SEATED':
      case 'FINISHED': {
        counts.visits++;
        const at = booking.seatedAt ?? booking.start;
        if (counts.lastVisitAt === undefined || at > counts.lastVisitAt) counts.lastVisitAt = at;
        break;
      }
      case 'CANCELLED':
        // A hold the restaurant rejected or let lapse is not the guest cancelling.
        if ((booking.statusReason ?? 'cancelled') === 'cancelled') counts.cancellations++;
        break;
      case 'NO_SHOW':
        counts.noShows++;
        break;
      case 'PENDING':
      case 'CONFIRMED':
        counts.upcoming++;
        break;
    }
  }
  return counts;
}

/**
 * The profile with what seeing the guest again teaches it: a contact it lacks that
 * no profile holds (`holders`: who holds each contact now), and a name if it had
 * none. Null when nothing is new, so that a returning guest costs no write.
 */
export function learnFromSighting(
  profile: GuestProfile,
  sighting: { phone?: string | undefined; email?: string | undefined; name?: string | undefined },
  holders: { phone?: string | undefined; email?: string | undefined },
): GuestProfile | null {
  const learns = (value: string | undefined, held: readonly string[], holder: string | undefined) =>
    value !== undefined && !held.includes(value) && holder === undefined;
  const phones = learns(sighting.phone, profile.phones, holders.phone) ? [...profile.phones, sighting.phone!] : profile.phones;
  const emails = learns(sighting.email, profile.emails, holders.email) ? [...profile.emails, sighting.email!] : profile.emails;
  const name = profile.name ?? sighting.name;
  if (phones === profile.phones && emails === profile.emails && name === profile.name) return null;
  return { ...profile, name, phones, emails };
}

/** The profile with `from` folded in: contacts, tags and notes joined, `from`'s bookings counted here. */
export function mergeProfiles(into: GuestProfile, from: GuestProfile, now: number): { into: GuestProfile; from: GuestProfile } {
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  const notes = [into.notes, from.notes].filter((text): text is string => !!text).join('\n');
  return {
    into: {
      ...into,
      name: into.name ?? from.name,
      phones: union(into.phones, from.phones),
      emails: union(into.emails, from.emails),
      tags: union(into.tags, from.tags),
      notes: notes === '' ? undefined : notes,
      mergedIds: union(into.mergedIds, [from.id, ...from.mergedIds]),
      updatedAt: now,
    },
    from: { ...from, phones: [], emails: [], mergedIds: [], mergedInto: into.id, updatedAt: now },
  };
}

/** The profile with its personal data gone: what stays is its id, its restaurant and its links. */
export function erasedProfile(profile: GuestProfile, now: number): GuestProfile {
  return {
    id: profile.id,
    restaurantId: profile.restaurantId,
    phones: [],
    emails: [],
    tags: [],
    mergedIds: profile.mergedIds,
    mergedInto: profile.mergedInto,
    erasedAt: profile.erasedAt ?? now,
    createdAt: profile.createdAt,
    updatedAt: now,
  };
}

/** The text a search matches against: name, emails and phone digits, lower case. */
export function searchTextOf(profile: GuestProfile): string {
  return [profile.name ?? '', ...profile.emails, ...profile.phones.map((phone) => phone.replace(/\D/g, ''))].join(' ').toLowerCase();
}
