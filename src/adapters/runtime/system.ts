import { randomBytes, randomFillSync } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock, IdGenerator } from '../../application/ports/runtime.js';

export const systemClock: Clock = { now: () => Date.now() };

/**
 * `prefix_` + the creation time (12 hex digits of milliseconds) + 64 random bits.
 * Ids made in order sort in order, so the indexes keyed on them (the event
 * stream, bookings, seats) grow at their end: a commit dirties a few shared
 * pages instead of one page per index per row, which kept SQLite's write cost
 * rising with history. Ids are never secrets (access goes by signed tokens).
 */
const orderedId = (prefix: string) => `${prefix}_${Date.now().toString(16).padStart(12, '0')}${randomHex16()}`;

/** 64 random bits as hex, from a pool refilled 512 ids at a time (one call into the CSPRNG each, as `randomUUID` does). */
const pool = Buffer.alloc(4096);
let used = pool.length;
function randomHex16(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 8;
  return pool.toString('hex', used - 8, used);
}

export const timeOrderedIds: IdGenerator = {
  bookingId: () => orderedId('bk'),
  waitlistEntryId: () => orderedId('wl'),
  guestId: () => orderedId('gu'),
  userId: () => orderedId('us'),
  apiKeyId: () => orderedId('key'),
  tokenFamilyId: () => orderedId('tf'),
};

/** This process's name on subscription leases: unique across hosts, processes and restarts. */
export const processOwner = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
