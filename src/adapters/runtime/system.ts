import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock, IdGenerator } from '../../application/ports/runtime.js';

export const systemClock: Clock = { now: () => Date.now() };

const randomId = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

export const randomIds: IdGenerator = {
  bookingId: () => randomId('bk'),
  waitlistEntryId: () => randomId('wl'),
  guestId: () => randomId('gu'),
  userId: () => randomId('us'),
  apiKeyId: () => randomId('key'),
  tokenFamilyId: () => randomId('tf'),
};

/** This process's name on subscription leases: unique across hosts, processes and restarts. */
export const processOwner = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
