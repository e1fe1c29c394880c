import { randomBytes } from 'node:crypto';
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
const orderedId = (prefix: string) => `${prefix}_${Date.now().toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;

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
