import type { Booking } from '../../domain/bookings/booking.js';
import { learnFromSighting, searchTextOf, type GuestProfile } from '../../domain/guests/guestProfile.js';
import type { StoredEvent } from '../../application/ports/eventStore.js';
import type { GuestContacts } from '../../application/ports/guestStore.js';
import { eventWithoutPersonalData, personalHolderOf, withoutPersonalFields } from '../../application/personalData.js';
import type { MemoryProjections } from './projections.js';

/**
 * Guest profiles in memory. The memory log has no stored copies to shred, so an
 * erasure removes the personal fields from its events: reads then see what the
 * durable stores show once the subject's key is destroyed.
 */
export class MemoryGuests {
  private readonly profiles = new Map<string, GuestProfile>();
  /** `restaurant|kind|value` → guest id. */
  private readonly contacts = new Map<string, string>();
  /** Erased data subjects: a write that matched one before its erasure keeps none of its personal data. */
  private readonly erasedSubjects = new Set<string>();

  constructor(
    private readonly projections: MemoryProjections,
    private readonly events: () => StoredEvent[],
  ) {}

  match(restaurantId: string, contacts: GuestContacts, fresh: GuestProfile): GuestProfile {
    const id = this.holderOf(restaurantId, 'phone', contacts.phone) ?? this.holderOf(restaurantId, 'email', contacts.email);
    const profile = id === undefined ? undefined : this.profiles.get(id);
    if (!profile) {
      this.save([fresh]);
      return structuredClone(fresh);
    }
    const holders = {
      phone: this.holderOf(restaurantId, 'phone', contacts.phone),
      email: this.holderOf(restaurantId, 'email', contacts.email),
    };
    const learned = learnFromSighting(profile, { ...contacts, name: fresh.name }, holders);
    if (!learned) return structuredClone(profile);
    const updated = { ...learned, updatedAt: fresh.updatedAt };
    this.save([updated]);
    return structuredClone(updated);
  }

  guest(id: string): GuestProfile | null {
    const profile = this.profiles.get(id);
    return profile ? structuredClone(profile) : null;
  }

  find(restaurantId: string, text: string, limit: number): GuestProfile[] {
    const wanted = text.toLowerCase();
    return [...this.profiles.values()]
      .filter((p) => p.restaurantId === restaurantId && p.mergedInto === undefined && searchTextOf(p).includes(wanted))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, limit)
      .map((p) => structuredClone(p));
  }

  after(afterId: string, limit: number): GuestProfile[] {
    return [...this.profiles.values()]
      .filter((p) => p.id > afterId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((p) => structuredClone(p));
  }

  /** An erased profile is never written again (see the SQLite store). */
  save(profiles: readonly GuestProfile[]): void {
    for (const profile of profiles) {
      if (this.profiles.get(profile.id)?.erasedAt !== undefined) continue;
      this.profiles.set(profile.id, structuredClone(profile));
      for (const phone of profile.phones) this.contacts.set(`${profile.restaurantId}|phone|${phone}`, profile.id);
      for (const email of profile.emails) this.contacts.set(`${profile.restaurantId}|email|${email}`, profile.id);
    }
  }

  bookingsOf(guestIds: readonly string[]): Booking[] {
    const wanted = new Set(guestIds);
    return [...this.projections.rows.booking.values()]
      .map((row) => row.value)
      .filter((booking) => booking.guestId !== undefined && wanted.has(booking.guestId))
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))
      .map((booking) => structuredClone(booking));
  }

  erase(profiles: readonly GuestProfile[]): void {
    const subjects = new Set(profiles.map((profile) => profile.id));
    for (const [key, id] of this.contacts) if (subjects.has(id)) this.contacts.delete(key);
    for (const row of [...this.projections.rows.booking.values(), ...this.projections.rows.waitlistEntry.values()]) {
      if (row.value.guestId !== undefined && subjects.has(row.value.guestId)) row.value = withoutPersonalFields(row.value);
    }
    for (const subject of subjects) this.erasedSubjects.add(subject);
    // What is in the log already is kept as a write made now would be.
    for (const event of this.events()) event.data = this.keepable(event).data;
    for (const profile of profiles) this.profiles.delete(profile.id);
    this.save(profiles);
  }

  /** The event as it may be kept: without personal fields when their subject was erased. */
  keepable<E extends { data: unknown }>(event: E): E {
    const subject = personalHolderOf(event.data)?.subject;
    return subject !== undefined && this.erasedSubjects.has(subject) ? eventWithoutPersonalData(event) : event;
  }

  private holderOf(restaurantId: string, kind: 'phone' | 'email', value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.contacts.get(`${restaurantId}|${kind}|${value}`);
  }
}
