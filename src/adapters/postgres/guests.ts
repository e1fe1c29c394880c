import type { Pool } from 'pg';
import type { Booking } from '../../domain/bookings/booking.js';
import { learnFromSighting, searchTextOf, type GuestProfile } from '../../domain/guests/guestProfile.js';
import type { GuestContacts } from '../../application/ports/guestStore.js';
import { PERSONAL_FIELDS } from '../../application/personalData.js';
import { inTransaction, type Queryable } from './db.js';

const WITHOUT_PERSONAL_FIELDS = `data - ARRAY[${PERSONAL_FIELDS.map((field) => `'${field}'`).join(', ')}]`;

type Holders = { phone?: string | undefined; email?: string | undefined };

/**
 * Who holds each contact in the restaurant, and the profile the phone (else the
 * email) belongs to, in one statement: a returning guest with nothing new costs
 * this one round trip.
 */
async function holdersAndProfile(
  db: Queryable,
  restaurantId: string,
  contacts: GuestContacts,
): Promise<{ holders: Holders; profile: GuestProfile | null }> {
  const result = await db.query<{ phone: string | null; email: string | null; data: GuestProfile | null }>(
    `WITH held AS (
       SELECT (SELECT guest_id FROM guest_contacts WHERE restaurant_id = $1 AND kind = 'phone' AND value = $2) AS phone,
              (SELECT guest_id FROM guest_contacts WHERE restaurant_id = $1 AND kind = 'email' AND value = $3) AS email)
     SELECT held.phone, held.email, guests.data FROM held LEFT JOIN guests ON guests.id = coalesce(held.phone, held.email)`,
    [restaurantId, contacts.phone ?? null, contacts.email ?? null],
  );
  const { phone, email, data } = result.rows[0]!;
  return { holders: { phone: phone ?? undefined, email: email ?? undefined }, profile: data };
}

export async function guest(db: Queryable, id: string): Promise<GuestProfile | null> {
  const result = await db.query<{ data: GuestProfile }>('SELECT data FROM guests WHERE id = $1', [id]);
  return result.rows[0]?.data ?? null;
}

/**
 * A returning guest with nothing new is read without a transaction. Otherwise the
 * contacts are locked (transaction-scoped advisory locks, in a fixed order), so two
 * first bookings with one new phone meet on one profile.
 */
export async function matchGuest(pool: Pool, restaurantId: string, contacts: GuestContacts, fresh: GuestProfile): Promise<GuestProfile> {
  const sighting = { ...contacts, name: fresh.name };
  const seen = await holdersAndProfile(pool, restaurantId, contacts);
  if (seen.profile && !learnFromSighting(seen.profile, sighting, seen.holders)) return seen.profile;
  return inTransaction(pool, async (client) => {
    const keys = [
      contacts.phone === undefined ? null : `${restaurantId}|phone|${contacts.phone}`,
      contacts.email === undefined ? null : `${restaurantId}|email|${contacts.email}`,
    ]
      .filter((key): key is string => key !== null)
      .sort();
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest($1::text[]) AS key', [keys]);
    const { holders, profile } = await holdersAndProfile(client, restaurantId, contacts);
    if (!profile) {
      await saveGuests(client, [fresh]);
      return fresh;
    }
    const updated = learnFromSighting(profile, sighting, holders);
    if (!updated) return profile;
    await saveGuests(client, [{ ...updated, updatedAt: fresh.updatedAt }]);
    return updated;
  });
}

export async function searchGuests(db: Queryable, restaurantId: string, text: string, limit: number): Promise<GuestProfile[]> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const result = await db.query<{ data: GuestProfile }>(
    `SELECT data FROM guests WHERE restaurant_id = $1 AND merged_into IS NULL AND search LIKE $2
     ORDER BY updated_at DESC LIMIT $3`,
    [restaurantId, pattern, limit],
  );
  return result.rows.map((row) => row.data);
}

export async function guestsAfter(db: Queryable, afterId: string, limit: number): Promise<GuestProfile[]> {
  const result = await db.query<{ data: GuestProfile }>('SELECT data FROM guests WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit]);
  return result.rows.map((row) => row.data);
}

/** An erased profile is never written again: an edit that read it before the erasure cannot bring its data back. */
async function saveGuests(db: Queryable, profiles: readonly GuestProfile[]): Promise<void> {
  for (const profile of profiles) {
    const written = await db.query(
      `INSERT INTO guests (id, restaurant_id, merged_into, search, updated_at, data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into, search = excluded.search,
         updated_at = excluded.updated_at, data = excluded.data
       WHERE guests.data->'erasedAt' IS NULL`,
      [profile.id, profile.restaurantId, profile.mergedInto ?? null, searchTextOf(profile), profile.updatedAt, JSON.stringify(profile)],
    );
    if (written.rowCount === 0) continue;
    const contacts = [...profile.phones.map((value) => ['phone', value]), ...profile.emails.map((value) => ['email', value])];
    if (contacts.length === 0) continue;
    await db.query(
      `INSERT INTO guest_contacts (restaurant_id, kind, value, guest_id)
       SELECT $1, kind, value, $2 FROM unnest($3::text[], $4::text[]) AS c(kind, value)
       ON CONFLICT (restaurant_id, kind, value) DO UPDATE SET guest_id = excluded.guest_id`,
      [profile.restaurantId, profile.id, contacts.map((c) => c[0]), contacts.map((c) => c[1])],
    );
  }
}

export async function saveGuestsAtomically(pool: Pool, profiles: readonly GuestProfile[]): Promise<void> {
  await inTransaction(pool, (client) => saveGuests(client, profiles));
}

export async function bookingsOfGuests(db: Queryable, guestIds: readonly string[]): Promise<Booking[]> {
  const result = await db.query<{ data: Booking }>(
    `SELECT data FROM bookings WHERE data->>'guestId' IS NOT NULL AND data->>'guestId' = ANY($1::text[]) ORDER BY start_ms, id`,
    [guestIds],
  );
  return result.rows.map((row) => row.data);
}

/**
 * One transaction: keys, contacts, the projected rows' personal fields, then the
 * emptied profiles. The keys go first and stay as rows with no key: an append
 * that sealed with one holds its row until it commits, so the scrub below (a
 * later statement, a later snapshot) sees what that append projected.
 */
export async function eraseGuests(pool: Pool, profiles: readonly GuestProfile[]): Promise<void> {
  const ids = profiles.map((profile) => profile.id);
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO personal_keys (subject, key) SELECT subject, NULL FROM unnest($1::text[]) AS s(subject)
       ON CONFLICT (subject) DO UPDATE SET key = NULL`,
      [ids],
    );
    await client.query('DELETE FROM guest_contacts WHERE guest_id = ANY($1::text[])', [ids]);
    for (const table of ['bookings', 'waitlist']) {
      await client.query(
        `UPDATE ${table} SET data = ${WITHOUT_PERSONAL_FIELDS} WHERE data->>'guestId' IS NOT NULL AND data->>'guestId' = ANY($1::text[])`,
        [ids],
      );
    }
    await saveGuests(client, profiles);
  });
}
