import { AppError } from '../../errors/catalogue.js';
import type { Booking } from '../bookings/booking.js';
import { decideCancel } from '../bookings/bookingDecisions.js';
import type { BookingCancelled } from '../bookings/bookingEvents.js';
import { nextUpdatedAt } from '../shared/updatedAt.js';
import type { Interval } from '../time/interval.js';
import type { Blackout, BlackoutEvent } from './blackout.js';

/** What holds the blackout's tables during its span, besides the blackout itself. */
export interface InTheWay {
  /** Seat-taking bookings, by id. */
  bookings: readonly Booking[];
  blackoutIds: readonly string[];
}

/**
 * Other blackouts in the way, or bookings without `cancelConflicting`, refuse the
 * change (409 `seats_taken`, listing them); with it, the bookings are cancelled.
 */
function clearTheWay(inTheWay: InTheWay, cancelConflicting: boolean, at: number): BookingCancelled[] {
  const bookings = [...new Set(inTheWay.bookings.map((booking) => booking.id))].sort();
  const blackouts = [...inTheWay.blackoutIds].sort();
  if (blackouts.length > 0 || (bookings.length > 0 && !cancelConflicting)) {
    throw new AppError(
      'seats_taken',
      `${bookings.length} booking(s) and ${blackouts.length} blackout(s) hold those tables then` +
        (bookings.length > 0 && blackouts.length === 0 ? '; send cancelConflicting: true to cancel the bookings' : ''),
      { bookings, blackouts },
    );
  }
  const byId = new Map(inTheWay.bookings.map((booking) => [booking.id, booking]));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).flatMap((booking) => decideCancel(booking, at));
}

export interface PlaceBlackout {
  blackout: Omit<Blackout, 'status' | 'createdAt' | 'updatedAt'>;
  cancelConflicting: boolean;
  now: number;
}

export function decidePlace(command: PlaceBlackout, existing: Blackout | null, inTheWay: InTheWay): (BookingCancelled | BlackoutEvent)[] {
  if (existing) throw new AppError('already_exists', `blackout ${existing.id} already exists`);
  const { now } = command;
  const blackout: Blackout = {
    ...command.blackout,
    tableIds: [...command.blackout.tableIds],
    status: 'ACTIVE',
    createdAt: now,
    updatedAt: now,
  };
  return [...clearTheWay(inTheWay, command.cancelConflicting, now), { type: 'BlackoutPlaced', data: { blackout } }];
}

/** New bounds: seats it gives up free at once, seats it takes follow the rules of placing. */
export function decideResize(
  blackout: Blackout,
  span: Interval,
  cancelConflicting: boolean,
  inTheWay: InTheWay,
  now: number,
): (BookingCancelled | BlackoutEvent)[] {
  if (blackout.status !== 'ACTIVE') throw new AppError('not_found', `blackout ${blackout.id} was lifted`);
  const at = nextUpdatedAt(blackout, now);
  return [
    ...clearTheWay(inTheWay, cancelConflicting, at),
    { type: 'BlackoutResized', data: { blackoutId: blackout.id, start: span.start, end: span.end, at } },
  ];
}

/** Lifting a lifted blackout changes nothing. */
export function decideLift(blackout: Blackout, now: number): BlackoutEvent[] {
  if (blackout.status !== 'ACTIVE') return [];
  return [{ type: 'BlackoutLifted', data: { blackoutId: blackout.id, at: nextUpdatedAt(blackout, now) } }];
}
