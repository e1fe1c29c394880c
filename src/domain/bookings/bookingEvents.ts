import type { Booking } from './booking.js';

export interface BookingConfirmed {
  type: 'BookingConfirmed';
  data: { booking: Booking };
}

export interface BookingCancelled {
  type: 'BookingCancelled';
  data: { bookingId: string; at: number };
}

export type BookingEvent = BookingConfirmed | BookingCancelled;

/** Folds one event into the booking it concerns. */
export function evolveBooking(state: Booking | null, event: BookingEvent): Booking | null {
  switch (event.type) {
    case 'BookingConfirmed':
      return { ...event.data.booking };
    case 'BookingCancelled':
      return state ? { ...state, status: 'CANCELLED', updatedAt: event.data.at } : state;
  }
}

/** Cancelling twice changes nothing, so the second cancel decides no event. */
export function decideCancel(booking: Booking, at: number): BookingEvent[] {
  if (booking.status === 'CANCELLED') return [];
  // updatedAt must move on every mutation, even within the same millisecond.
  return [{ type: 'BookingCancelled', data: { bookingId: booking.id, at: Math.max(at, booking.updatedAt + 1) } }];
}
