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

/** A party without a booking is seated now: the booking is born SEATED, `source: walk_in`. */
export interface WalkInSeated {
  type: 'WalkInSeated';
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

/** The party sat down at `at`; its tables are kept until `seatedUntil` (the booked end, or later when the host extended the stay). */
export interface BookingSeated {
  type: 'BookingSeated';
  data: { bookingId: string; at: number; seatedUntil: number };
}

/** Marked a no-show at `at`, by staff or (`automatic`) by the sweeper once the grace period passed. */
export interface BookingMarkedNoShow {
  type: 'BookingMarkedNoShow';
  data: { bookingId: string; at: number; automatic: boolean };
}

/** The last floor step taken back: a seat (back to CONFIRMED), a finish (back to SEATED) or a no-show (back to CONFIRMED). */
export interface BookingStepUndone {
  type: 'BookingStepUndone';
  data: { bookingId: string; at: number; undid: UndoableStep };
}

type UndoableStep = 'seat' | 'finish' | 'no_show';

export type BookingCancelled = StatusChange<'BookingCancelled'>;
type BookingApproved = StatusChange<'BookingApproved'>;
type BookingRejected = StatusChange<'BookingRejected'>;
type HoldExpired = StatusChange<'HoldExpired'>;
export type BookingFinished = StatusChange<'BookingFinished'>;

export type BookingOpened = BookingConfirmed | BookingHeld | WalkInSeated;
export type BookingStatusChanged = BookingCancelled | BookingApproved | BookingRejected | HoldExpired | BookingFinished;
export type FloorStep = BookingSeated | BookingFinished | BookingMarkedNoShow | BookingStepUndone;
export type BookingEvent =
  BookingOpened | BookingStatusChanged | BookingReassigned | BookingSeated | BookingMarkedNoShow | BookingStepUndone;

const OPENING_TYPES: readonly string[] = ['BookingConfirmed', 'BookingHeld', 'WalkInSeated'] satisfies BookingOpened['type'][];
const CHANGE_TYPES: readonly string[] = [
  'BookingCancelled',
  'BookingApproved',
  'BookingRejected',
  'HoldExpired',
  'BookingReassigned',
  'BookingSeated',
  'BookingFinished',
  'BookingMarkedNoShow',
  'BookingStepUndone',
] satisfies Exclude<BookingEvent, BookingOpened>['type'][];

export function isBookingOpened(event: { type: string }): event is BookingOpened {
  return OPENING_TYPES.includes(event.type);
}

export function isBookingEvent(event: { type: string }): event is BookingEvent {
  return isBookingOpened(event) || CHANGE_TYPES.includes(event.type);
}

export function bookingIdOf(event: BookingEvent): string {
  return isBookingOpened(event) ? event.data.booking.id : event.data.bookingId;
}

const STATUS_AFTER: Record<BookingStatusChanged['type'], { status: BookingStatus; reason?: Booking['statusReason'] }> = {
  BookingCancelled: { status: 'CANCELLED', reason: 'cancelled' },
  BookingApproved: { status: 'CONFIRMED' },
  BookingRejected: { status: 'CANCELLED', reason: 'rejected' },
  HoldExpired: { status: 'CANCELLED', reason: 'expired' },
  BookingFinished: { status: 'FINISHED' },
};

type FloorField = 'seatedAt' | 'seatedUntil' | 'finishedAt' | 'noShowAt' | 'noShowAutomatic';

/** What undoing a step takes the booking back to, and the fields that step had set. */
const UNDO: Record<UndoableStep, { status: BookingStatus; clears: FloorField[] }> = {
  seat: { status: 'CONFIRMED', clears: ['seatedAt', 'seatedUntil'] },
  finish: { status: 'SEATED', clears: ['finishedAt'] },
  no_show: { status: 'CONFIRMED', clears: ['noShowAt', 'noShowAutomatic'] },
};

/** Folds one event into the booking it concerns. */
export function evolveBooking(state: Booking | null, event: BookingEvent): Booking | null {
  if (isBookingOpened(event)) return { ...event.data.booking };
  if (!state) return state;
  const at = event.data.at;
  switch (event.type) {
    case 'BookingReassigned':
      return { ...state, tableIds: [...event.data.tableIds], updatedAt: at };
    case 'BookingSeated':
      return { ...state, status: 'SEATED', seatedAt: at, seatedUntil: event.data.seatedUntil, updatedAt: at };
    case 'BookingMarkedNoShow':
      return { ...state, status: 'NO_SHOW', noShowAt: at, noShowAutomatic: event.data.automatic, updatedAt: at };
    case 'BookingStepUndone': {
      const { status, clears } = UNDO[event.data.undid];
      const next: Booking = { ...state, status, updatedAt: at };
      for (const field of clears) delete next[field];
      return next;
    }
    default: {
      const { status, reason } = STATUS_AFTER[event.type];
      const next: Booking = { ...state, status, updatedAt: at };
      if (reason) next.statusReason = reason;
      if (status === 'FINISHED') next.finishedAt = at;
      if (status !== 'PENDING') delete next.holdExpiresAt;
      return next;
    }
  }
}
