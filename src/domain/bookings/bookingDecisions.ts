import { AppError } from '../../errors/catalogue.js';
import type { Candidate } from '../seating/discoverSeatings.js';
import { nextUpdatedAt } from '../shared/updatedAt.js';
import type { CalendarDate } from '../time/calendarDate.js';
import type { Channel } from '../restaurants/restaurant.js';
import { awaitsParty, type Booking, type Guest } from './booking.js';
import type { BookingCancelled, BookingEvent, BookingOpened, BookingReassigned, BookingStatusChanged } from './bookingEvents.js';

export interface CreateBooking extends Guest {
  bookingId: string;
  restaurantId: string;
  sectorId: string;
  date: CalendarDate;
  partySize: number;
  durationMinutes: number;
  now: number;
  /** When the party is large enough to need approval: how long the hold lasts. */
  holdMinutes?: number | undefined;
  source: Channel;
  /** The actor who booked past a full pacing interval, when one did. */
  pacingOverrideBy?: string | undefined;
  /** The restaurant's grace before an unseated booking becomes a no-show. */
  noShowAfterMinutes: number;
}

/**
 * Books the first candidate, which the caller has just computed on current state:
 * confirmed, or held for approval when a hold length is given.
 */
export function decideCreate(command: CreateBooking, candidates: readonly Candidate[]): BookingOpened {
  const chosen = candidates[0];
  if (!chosen) throw new AppError('no_capacity');
  const held = command.holdMinutes !== undefined;
  const noShowDueAt = chosen.start + command.noShowAfterMinutes * 60_000;
  return {
    type: held ? 'BookingHeld' : 'BookingConfirmed',
    data: {
      booking: {
        id: command.bookingId,
        restaurantId: command.restaurantId,
        sectorId: command.sectorId,
        date: command.date,
        tableIds: [...chosen.tableIds],
        partySize: command.partySize,
        start: chosen.start,
        end: chosen.end,
        durationMinutes: command.durationMinutes,
        status: held ? 'PENDING' : 'CONFIRMED',
        source: command.source,
        pacingOverride: command.pacingOverrideBy === undefined ? undefined : { actor: command.pacingOverrideBy },
        holdExpiresAt: held ? command.now + command.holdMinutes! * 60_000 : undefined,
        // A booking written after its grace had passed is a record, not an expected party: the sweeper leaves it alone.
        noShowDueAt: noShowDueAt > command.now ? noShowDueAt : undefined,
        guestId: command.guestId,
        guestName: command.guestName,
        guestEmail: command.guestEmail,
        guestPhone: command.guestPhone,
        notes: command.notes,
        createdAt: command.now,
        updatedAt: command.now,
      },
    },
  };
}

/** Cancelling twice changes nothing, so the second cancel decides no event. */
export function decideCancel(booking: Booking, at: number): BookingCancelled[] {
  if (booking.status === 'CANCELLED') return [];
  return [{ type: 'BookingCancelled', data: { bookingId: booking.id, at: nextUpdatedAt(booking, at) } }];
}

export type HoldDecision = 'approve' | 'reject';

/**
 * What answering a hold decides: a live hold is approved or rejected; a hold past
 * its time has expired, whatever was asked; anything else is not a hold (409).
 */
export function decideHold(booking: Booking, decision: HoldDecision, at: number): BookingStatusChanged {
  if (booking.status !== 'PENDING') {
    throw new AppError('not_pending', `booking ${booking.id} is ${booking.status}, not a hold waiting for approval`);
  }
  const data = { bookingId: booking.id, at: nextUpdatedAt(booking, at) };
  if (booking.holdExpiresAt !== undefined && at >= booking.holdExpiresAt) return { type: 'HoldExpired', data };
  return decision === 'approve' ? { type: 'BookingApproved', data } : { type: 'BookingRejected', data };
}

/** A hold past its time expires; anything else is left alone. */
export function decideExpiry(booking: Booking, at: number): BookingEvent[] {
  if (booking.status !== 'PENDING' || booking.holdExpiresAt === undefined || at < booking.holdExpiresAt) return [];
  return [{ type: 'HoldExpired', data: { bookingId: booking.id, at: nextUpdatedAt(booking, at) } }];
}

/** Repack moves a booking whose party has not arrived to other tables, never in time; the same tables, or any other booking, decide nothing. */
export function decideReassign(booking: Booking, tableIds: readonly string[], at: number): BookingReassigned[] {
  if (!awaitsParty(booking.status)) return [];
  const to = [...tableIds].sort();
  if (to.join('\u0000') === [...booking.tableIds].sort().join('\u0000')) return [];
  return [{ type: 'BookingReassigned', data: { bookingId: booking.id, tableIds: [...tableIds], at: nextUpdatedAt(booking, at) } }];
}
