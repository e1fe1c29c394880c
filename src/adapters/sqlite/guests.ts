import type { Database, Statement } from 'better-sqlite3';
import type { Booking } from '../../domain/bookings/booking.js';
import { learnFromSighting, searchTextOf, type GuestProfile } from '../../domain/guests/guestProfile.js';
import type { GuestContacts } from '../../application/ports/guestStore.js';
import { PERSONAL_FIELDS } from '../../application/personalData.js';
import type { SqlitePersonalKeys } from './personalKeys.js';

const WITHOUT_PERSONAL_FIELDS = `json_remove(data, ${PERSONAL_FIELDS.map((field) => `'$.${field}'`).join(', ')})`;

/** Guest profiles and their contacts; writes run inside the caller's write transaction. */
export class SqliteGuests {
  private readonly byId: Statement;
  private readonly byContact: Statement;
  private readonly upsert: Statement;
  private readonly claimContact: Statement;
  private readonly dropContacts: Statement;
  private readonly search: Statement;
  private readonly page: Statement;
  private readonly bookings: Statement;
  private readonly scrubBookings: Statement;
  private readonly scrubEntries: Statement;

  constructor(
    private readonly db: Database,
    private readonly keys: SqlitePersonalKeys,
  ) {
    this.byId = db.prepare('SELECT data FROM guests WHERE id = ?');
    this.byContact = db.prepare('SELECT guest_id FROM guest_contacts WHERE restaurant_id = ? AND kind = ? AND value = ?');
    this.upsert = db.prepare(
      `INSERT INTO guests (id, restaurant_id, merged_into, search, updated_at, data)
       VALUES (@id, @restaurantId, @mergedInto, @search, @updatedAt, @data)
       ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into, search = excluded.search,
         updated_at = excluded.updated_at, data = excluded.data
       WHERE json_extract(guests.data, '$.erasedAt') IS NULL`,
    );
    this.claimContact = db.prepare(
      `INSERT INTO guest_contacts (restaurant_id, kind, value, guest_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (restaurant_id, kind, value) DO UPDATE SET guest_id = excluded.guest_id`,
    );
    this.dropContacts = db.prepare('DELETE FROM guest_contacts WHERE guest_id = ?');
    this.search = db.prepare(
      `SELECT data FROM guests WHERE restaurant_id = ? AND merged_into IS NULL AND search LIKE ? ESCAPE '\\'
       ORDER BY updated_at DESC LIMIT ?`,
    );
    this.page = db.prepare('SELECT data FROM guests WHERE id > ? ORDER BY id LIMIT ?');
    this.bookings = db.prepare(
      `SELECT data FROM bookings WHERE json_extract(data, '$.guestId') IS NOT NULL
       AND json_extract(data, '$.guestId') IN (SELECT value FROM json_each(?)) ORDER BY start_ms, id`,
    );
    this.scrubBookings = db.prepare(
      `UPDATE bookings SET data = ${WITHOUT_PERSONAL_FIELDS}
       WHERE json_extract(data, '$.guestId') IS NOT NULL AND json_extract(data, '$.guestId') = ?`,
    );
    this.scrubEntries = db.prepare(
      `UPDATE waitlist SET data = ${WITHOUT_PERSONAL_FIELDS}
       WHERE json_extract(data, '$.guestId') IS NOT NULL AND json_extract(data, '$.guestId') = ?`,
    );
  }

  /** A returning guest whose profile already has all it would learn: found without a write transaction. */
  known(restaurantId: string, contacts: GuestContacts, name: string | undefined): GuestProfile | null {
    const found = this.found(restaurantId, contacts);
    return found && !this.learned(found, contacts, name) ? found : null;
  }

  match(restaurantId: string, contacts: GuestContacts, fresh: GuestProfile): GuestProfile {
    const profile = this.found(restaurantId, contacts);
    if (!profile) {
      this.save([fresh]);
      return fresh;
    }
    const updated = this.learned(profile, contacts, fresh.name);
    if (!updated) return profile;
    this.save([{ ...updated, updatedAt: fresh.updatedAt }]);
    return updated;
  }

  private found(restaurantId: string, contacts: GuestContacts): GuestProfile | null {
    const id = this.holderOf(restaurantId, 'phone', contacts.phone) ?? this.holderOf(restaurantId, 'email', contacts.email);
    return id === undefined ? null : this.guest(id);
  }

  private learned(profile: GuestProfile, contacts: GuestContacts, name: string | undefined): GuestProfile | null {
    const holders = {
      phone: this.holderOf(profile.restaurantId, 'phone', contacts.phone),
      email: this.holderOf(profile.restaurantId, 'email', contacts.email),
    };
    return learnFromSighting(profile, { ...contacts, name }, holders);
  }

  guest(id: string): GuestProfile | null {
    const row = this.byId.get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as GuestProfile) : null;
  }

  find(restaurantId: string, text: string, limit: number): GuestProfile[] {
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return (this.search.all(restaurantId, pattern, limit) as { data: string }[]).map((row) => JSON.parse(row.data) as GuestProfile);
  }

  /** An erased profile is never written again: an edit that read it before the erasure cannot bring its data back. */
  after(afterId: string, limit: number): GuestProfile[] {
    return (this.page.all(afterId, limit) as { data: string }[]).map((row) => JSON.parse(row.data) as GuestProfile);
  }

  /** An erased profile is never written again: an edit that read it before the erasure cannot bring its data back. */
  save(profiles: readonly GuestProfile[]): void {
    for (const profile of profiles) {
      const written = this.upsert.run({
        id: profile.id,
        restaurantId: profile.restaurantId,
        mergedInto: profile.mergedInto ?? null,
        search: searchTextOf(profile),
        updatedAt: profile.updatedAt,
        data: JSON.stringify(profile),
      });
      if (written.changes === 0) continue;
      for (const phone of profile.phones) this.claimContact.run(profile.restaurantId, 'phone', phone, profile.id);
      for (const email of profile.emails) this.claimContact.run(profile.restaurantId, 'email', email, profile.id);
    }
  }

  bookingsOf(guestIds: readonly string[]): Booking[] {
    return (this.bookings.all(JSON.stringify(guestIds)) as { data: string }[]).map((row) => JSON.parse(row.data) as Booking);
  }

  erase(profiles: readonly GuestProfile[]): void {
    for (const profile of profiles) {
      this.dropContacts.run(profile.id);
      this.keys.destroy(profile.id);
      this.scrubBookings.run(profile.id);
      this.scrubEntries.run(profile.id);
    }
    this.save(profiles);
  }

  /** Moves the write-ahead log into the database and empties it, so no old page image outlives an erasure. */
  flushLog(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private holderOf(restaurantId: string, kind: 'phone' | 'email', value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    return (this.byContact.get(restaurantId, kind, value) as { guest_id: string } | undefined)?.guest_id;
  }
}
