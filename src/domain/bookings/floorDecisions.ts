import { AppError } from '../../errors/catalogue.js';
import type { Candidate } from '../seating/discoverSeatings.js';
import { nextUpdatedAt } from '../shared/updatedAt.js';
import type { CalendarDate } from '../time/calendarDate.js';
import type { Instant } from '../time/zone.js';
import type { Booking } from './booking.js';
import type { BookingFinished, BookingMarkedNoShow, BookingSeated, BookingStepUndone, WalkInSeated } from './bookingEvents.js';

const MINUTE_MS = 60_000;

/** How long before its booked start a party may be seated (when its tables are free). */
export const EARLIEST_SEAT_MINUTES = 120;

const refuse = (booking: Booking, what: string) =>
  new AppError('invalid_transition', `booking ${booking.id} is ${booking.status}: ${what}`);

/**
 * Seats a CONFIRMED booking's party at `at`: early (from `EARLIEST_SEAT_MINUTES`
 * before its start) or late. Its tables are kept to the booked end; `extend` keeps
 * them for the whole booked stay from the moment the party sat down. Whether the
 * tables are free for an earlier or longer stay is for the caller (and the store) to judge.
 */
export function decideSeat(booking: Booking, at: Instant, extend: boolean): BookingSeated {
  if (booking.status !== 'CONFIRMED') throw refuse(booking, 'only a CONFIRMED booking can be seated');
  if (at < booking.start - EARLIEST_SEAT_MINUTES * MINUTE_MS) {
    throw refuse(booking, `a party may be seated at most ${EARLIEST_SEAT_MINUTES} minutes before its booked start`);
  }
  const seatedUntil = extend ? Math.max(booking.end, at + booking.durationMinutes * MINUTE_MS) : booking.end;
  if (at >= seatedUntil) throw refuse(booking, 'its booked stay is over; seat it with extend: true to give it a full stay');
  return { type: 'BookingSeated', data: { bookingId: booking.id, at: nextUpdatedAt(booking, at), seatedUntil } };
}

/** A seated party leaves at `at`; its tables are free from then. Anything not seated: 409. */
export function decideFinish(booking: Booking, at: Instant): BookingFinished {
  if (booking.status !== 'SEATED') throw refuse(booking, 'only a SEATED party can finish');
  return { type: 'BookingFinished', data: { bookingId: booking.id, at: nextUpdatedAt(booking, at) } };
}

/** Staff mark a CONFIRMED booking a no-show, once its start has come; its tables are free from then. */
export function decideNoShow(booking: Booking, at: Instant): BookingMarkedNoShow {
  if (booking.status !== 'CONFIRMED') throw refuse(booking, 'only a CONFIRMED booking can be a no-show');
  if (at < booking.start) throw refuse(booking, 'it has not started yet');
  return { type: 'BookingMarkedNoShow', data: { bookingId: booking.id, at: nextUpdatedAt(booking, at), automatic: false } };
}

/** The sweeper's no-show: a CONFIRMED booking still unseated when its grace ran out; anything else is left alone. */
export function decideAutomaticNoShow(booking: Booking, at: Instant): BookingMarkedNoShow[] {
  if (booking.status !== 'CONFIRMED' || booking.noShowDueAt === undefined || at < booking.noShowDueAt) return [];
  return [{ type: 'BookingMarkedNoShow', data: { bookingId: booking.id, at: nextUpdatedAt(booking, at), automatic: true } }];
}

/**
 * Takes back the last floor step — a seat, a finish or a no-show — while the
 * service it happened in lasts (`serviceEnd`). A walk-in's seat is not undone: it
 * is cancelled. Whether the tables are still free for what comes back is for the
 * caller (and the store) to judge.
 */
export function decideUndo(booking: Booking, at: Instant, serviceEnd: Instant): BookingStepUndone {
  const undid =
    booking.status === 'SEATED' ? 'seat' : booking.status === 'FINISHED' ? 'finish' : booking.status === 'NO_SHOW' ? 'no_show' : null;
  if (undid === null) throw refuse(booking, 'there is no seat, finish or no-show to undo');
  if (undid === 'seat' && booking.source === 'walk_in') throw refuse(booking, 'a walk-in is not undone but cancelled');
  if (at >= serviceEnd) throw refuse(booking, 'its service is over, so it can no longer be undone');
  return { type: 'BookingStepUndone', data: { bookingId: booking.id, at: nextUpdatedAt(booking, at), undid } };
}

export interface SeatWalkIn {
  bookingId: string;
  restaurantId: string;
  sectorId: string;
  date: CalendarDate;
  partySize: number;
  now: Instant;
}

/** Seats a walk-in on the seating found for it (its start is now, off the grid), born SEATED. */
export function decideWalkIn(command: SeatWalkIn, seating: Pick<Candidate, 'tableIds' | 'start' | 'end'>): WalkInSeated {
  return {
    type: 'WalkInSeated',
    data: {
      booking: {
        id: command.bookingId,
        restaurantId: command.restaurantId,
        sectorId: command.sectorId,
        date: command.date,
        tableIds: [...seating.tableIds],
        partySize: command.partySize,
        start: seating.start,
        end: seating.end,
        durationMinutes: Math.round((seating.end - seating.start) / MINUTE_MS),
        status: 'SEATED',
        source: 'walk_in',
        seatedAt: seating.start,
        seatedUntil: seating.end,
        createdAt: command.now,
        updatedAt: command.now,
      },
    },
  };
}
