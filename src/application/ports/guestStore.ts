import type { Booking } from '../../domain/bookings/booking.js';
import type { GuestProfile } from '../../domain/guests/guestProfile.js';

export interface GuestContacts {
  phone?: string | undefined;
  email?: string | undefined;
}

/** Where guest profiles live. Each method is one transaction. */
export interface GuestStore {
  /**
   * The profile holding one of these normalized contacts (the phone is looked up
   * first), given the contacts it lacks and that no other profile holds; with none,
   * `fresh` is saved and returned. Concurrent calls for one contact meet on one profile.
   */
  matchGuest(restaurantId: string, contacts: GuestContacts, fresh: GuestProfile): Promise<GuestProfile>;
  guest(id: string): Promise<GuestProfile | null>;
  /** Profiles of the restaurant (not merged away) whose name, email or phone digits contain `text`, latest first. */
  searchGuests(restaurantId: string, text: string, limit: number): Promise<GuestProfile[]>;
  /** Saves profiles as given, and points every contact they hold at them. */
  saveGuests(profiles: readonly GuestProfile[]): Promise<void>;
  /** Every profile (merged and erased ones too), by id after `afterId`, at most `limit`: for backups. */
  guestsAfter(afterId: string, limit: number): Promise<GuestProfile[]>;
  /** Bookings (as projected) whose guest is one of `guestIds`, by start. */
  bookingsOfGuests(guestIds: readonly string[]): Promise<Booking[]>;
  /**
   * Erases, in one step: the profiles' contacts, the keys that seal the subjects'
   * personal data in the log, and the personal fields of their bookings and
   * waitlist entries in the projections; then saves `profiles` (already emptied).
   */
  eraseGuests(profiles: readonly GuestProfile[]): Promise<void>;
}
