import { nextUpdatedAt } from '../shared/updatedAt.js';
import type { WaitlistEntry, WaitlistEvent } from './waitlistEntry.js';

export type JoinWaitlist = Omit<WaitlistEntry, 'status' | 'bookingId' | 'createdAt' | 'updatedAt'>;

export function decideJoin(request: JoinWaitlist, now: number): WaitlistEvent[] {
  return [{ type: 'WaitlistJoined', data: { entry: { ...request, status: 'WAITING', createdAt: now, updatedAt: now } } }];
}

/** Leaving twice, or after being booked, changes nothing. */
export function decideLeave(entry: WaitlistEntry, now: number): WaitlistEvent[] {
  if (entry.status !== 'WAITING') return [];
  return [{ type: 'WaitlistLeft', data: { entryId: entry.id, at: nextUpdatedAt(entry, now) } }];
}

/** A waiting entry is promoted to the booking made for it, in the same append; anything else decides nothing. */
export function decidePromote(entry: WaitlistEntry, bookingId: string, now: number): WaitlistEvent[] {
  if (entry.status !== 'WAITING') return [];
  return [{ type: 'WaitlistPromoted', data: { entryId: entry.id, bookingId, at: nextUpdatedAt(entry, now) } }];
}
