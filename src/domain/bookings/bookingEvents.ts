import type { Booking, BookingStatus } from './booking.js';

/** A booking comes into being, seats taken: confirmed at once, or held for approval. */
export interface BookingConfirmed {
  type: 'BookingConfirmed';
  data: { booking: Booking };
}

export interface BookingHeld {
  type: 'BookingHeld';
  data: { booking: Booking };
}

/** A booking changes status; `at` becomes its updatedAt. */
interface StatusChange<Type extends string> {
  type: Type;
  data: { bookingId: string; at: number };
}

/** Repack moved the booking to other tables; its times never change. */
export interface BookingReassigned {
  type: 'BookingReassigned';
  data: { bookingId: string; tableIds: string[]; at: number };
}

export type BookingCancelled = StatusChange<'BookingCancelled'>;
type BookingApproved = StatusChange<'BookingApproved'>;
type BookingRejected = StatusChange<'BookingRejected'>;
type HoldExpired = StatusChange<'HoldExpired'>;

export type BookingOpened = BookingConfirmed | BookingHeld;
export type BookingStatusChanged = BookingCancelled | BookingApproved | BookingRejected | HoldExpired;
export type BookingEvent = BookingOpened | BookingStatusChanged | BookingReassigned;

const OPENING_TYPES: readonly string[] = ['BookingConfirmed', 'BookingHeld'] satisfies BookingOpened['type'][];
const STATUS_CHANGE_TYPES: readonly string[] = [
  'BookingCancelled',
  'BookingApproved',
  'BookingRejected',
  'HoldExpired',
  'BookingReassigned',
] satisfies (BookingStatusChanged | BookingReassigned)['type'][];

export function isBookingOpened(event: { type: string }): event is BookingOpened {
  return OPENING_TYPES.includes(event.type);
}

export function isBookingEvent(event: { type: string }): event is BookingEvent {
  return isBookingOpened(event) || STATUS_CHANGE_TYPES.includes(event.type);
}

export function bookingIdOf(event: BookingEvent): string {
  return isBookingOpened(event) ? event.data.booking.id : event.data.bookingId;
}

const STATUS_AFTER: Record<BookingStatusChanged['type'], { status: BookingStatus; reason?: Booking['statusReason'] }> = {
  BookingCancelled: { status: 'CANCELLED', reason: 'cancelled' },
  BookingApproved: { status: 'CONFIRMED' },
  BookingRejected: { status: 'CANCELLED', reason: 'rejected' },
  HoldExpired: { status: 'CANCELLED', reason: 'expired' },
};

/** Folds one event into the booking it concerns. */
export function evolveBooking(state: Booking | null, event: BookingEvent): Booking | null {
  if (isBookingOpened(event)) return { ...event.data.booking };
  if (!state) return state;
  if (event.type === 'BookingReassigned') return { ...state, tableIds: [...event.data.tableIds], updatedAt: event.data.at };
  const { status, reason } = STATUS_AFTER[event.type];
  const next: Booking = { ...state, status, updatedAt: event.data.at };
  if (reason) next.statusReason = reason;
  if (status !== 'PENDING') delete next.holdExpiresAt;
  return next;
}
