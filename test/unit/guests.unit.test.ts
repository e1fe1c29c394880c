import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Booking } from '../../src/domain/bookings/booking.js';
import { normalizeEmail, normalizePhone } from '../../src/domain/guests/contacts.js';
import { countVisits, erasedProfile, learnFromSighting, mergeProfiles, type GuestProfile } from '../../src/domain/guests/guestProfile.js';
import { openEventData, sealEventData, newSubjectKey } from '../../src/adapters/personalData/sealing.js';

describe('contacts', () => {
  it('writes one phone one way, whatever its spaces, dashes, brackets or 00 prefix', () => {
    for (const written of ['+54 9 11 5555-1234', '0054 9 11 5555 1234', '+5491155551234', ' +54 (9) 11 5555.1234 ']) {
      expect(normalizePhone(written), written).toBe('+5491155551234');
    }
    expect(normalizePhone('11 5555-1234')).toBe('~1155551234');
    expect(normalizePhone('( )-')).toBeUndefined();
    expect(normalizeEmail('  Ana.Paz@Example.COM ')).toBe('ana.paz@example.com');
  });

  it('any formatting of a number normalizes as the bare number does', () => {
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 12 }).map((d) => d.join(''));
    const separators = fc.array(fc.constantFrom('', ' ', '-', '.', ' - '), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(fc.constantFrom('1', '44', '54', '81'), digits, separators, (country, number, seps) => {
        const bare = normalizePhone(`+${country}${number}`);
        const spaced = [...number].map((digit, i) => digit + seps[i]!).join('');
        expect(normalizePhone(`+${country} ${spaced}`)).toBe(bare);
        expect(normalizePhone(`00${country}${spaced}`)).toBe(bare);
      }),
    );
  });
});

const booking = (status: Booking['status'], extra: Partial<Booking> = {}): Booking => ({
  id: `b-${Math.random()}`,
  restaurantId: 'R',
  sectorId: 'S',
  date: '2025-11-03',
  tableIds: ['T'],
  partySize: 2,
  start: 1_000,
  end: 2_000,
  durationMinutes: 60,
  status,
  createdAt: 0,
  updatedAt: 0,
  ...extra,
});

describe('guest profiles', () => {
  it('counts visits by seating, cancellations by the guest only, no-shows and what is still to come', () => {
    expect(
      countVisits([
        booking('FINISHED', { seatedAt: 5_000 }),
        booking('SEATED', { seatedAt: 9_000 }),
        booking('CANCELLED'),
        booking('CANCELLED', { statusReason: 'expired' }),
        booking('CANCELLED', { statusReason: 'rejected' }),
        booking('NO_SHOW'),
        booking('CONFIRMED'),
        booking('PENDING'),
      ]),
    ).toEqual({ visits: 2, cancellations: 1, noShows: 1, upcoming: 2, lastVisitAt: 9_000 });
  });

  const profile = (id: string, extra: Partial<GuestProfile> = {}): GuestProfile => ({
    id,
    restaurantId: 'R',
    phones: [],
    emails: [],
    tags: [],
    mergedIds: [],
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  });

  it('merging joins contacts, tags, notes and the profiles merged before; the one folded in points at the other', () => {
    const into = profile('A', { name: 'Ana', phones: ['+1'], tags: ['vip'], notes: 'window', mergedIds: ['Z'] });
    const from = profile('B', { name: 'Ana P', emails: ['a@x'], tags: ['vip', 'late'], notes: 'no shellfish', mergedIds: ['Y'] });
    const merged = mergeProfiles(into, from, 7);
    expect(merged.into).toMatchObject({
      name: 'Ana',
      phones: ['+1'],
      emails: ['a@x'],
      tags: ['vip', 'late'],
      notes: 'window\nno shellfish',
      mergedIds: ['Z', 'B', 'Y'],
      updatedAt: 7,
    });
    expect(merged.from).toMatchObject({ mergedInto: 'A', phones: [], emails: [], mergedIds: [] });
  });

  it('a sighting teaches a profile a contact nobody holds and a missing name; nothing new means no write', () => {
    const known = profile('A', { phones: ['+1'] });
    expect(learnFromSighting(known, { phone: '+1', email: 'a@x', name: 'Ana' }, { phone: 'A' })).toMatchObject({
      name: 'Ana',
      phones: ['+1'],
      emails: ['a@x'],
    });
    // The email belongs to another profile: it stays there.
    expect(learnFromSighting(known, { phone: '+1', email: 'b@x' }, { phone: 'A', email: 'B' })).toBeNull();
    expect(learnFromSighting({ ...known, name: 'Ana' }, { phone: '+1', name: 'Other' }, { phone: 'A' })).toBeNull();
  });

  it('erasure keeps the id, the links and the first erasure time, and nothing personal', () => {
    const erased = erasedProfile(
      profile('A', { name: 'Ana', phones: ['+1'], emails: ['a@x'], tags: ['vip'], notes: 'n', mergedIds: ['B'] }),
      9,
    );
    expect(erased).toEqual({
      id: 'A',
      restaurantId: 'R',
      phones: [],
      emails: [],
      tags: [],
      mergedIds: ['B'],
      erasedAt: 9,
      createdAt: 0,
      updatedAt: 9,
    });
    expect(erasedProfile(erased, 20).erasedAt).toBe(9);
  });
});

describe('sealing personal data in events', () => {
  const data = { booking: { id: 'b1', guestId: 'g1', partySize: 2, guestName: 'Ana', guestPhone: '+1', notes: 'n' } };

  it('seals the personal fields only, opens them with the key, and leaves them out without it or with another', () => {
    const key = newSubjectKey();
    const sealed = sealEventData(data, key);
    expect(JSON.stringify(sealed)).not.toContain('Ana');
    expect(sealed.booking).toMatchObject({ id: 'b1', guestId: 'g1', partySize: 2 });
    expect(openEventData(sealed, key)).toEqual(data);
    expect(openEventData(sealed, null)).toEqual({ booking: { id: 'b1', guestId: 'g1', partySize: 2 } });
    expect(openEventData(sealed, newSubjectKey())).toEqual({ booking: { id: 'b1', guestId: 'g1', partySize: 2 } });
  });

  it('leaves data with nothing personal, or written before sealing, as it is', () => {
    const plain = { booking: { id: 'b2', partySize: 2 } };
    expect(sealEventData(plain, newSubjectKey())).toBe(plain);
    expect(openEventData(data, null)).toBe(data);
  });
});
