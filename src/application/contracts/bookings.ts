import { z } from 'zod';
import { BOOKING_STATUSES } from '../../domain/bookings/booking.js';
import {
  calendarDate,
  durationMinutes,
  entityId,
  gridTime,
  instantWithOffset,
  partySize,
  queryDuration,
  queryLimit,
  queryPartySize,
} from './fields.js';

const requestedWindow = {
  windowStart: gridTime.optional().meta({
    description:
      'The stay starts at or after this local time. With windowEnd too, stays flush with their neighbours rank before earlier ones.',
  }),
  windowEnd: gridTime.optional().meta({
    description: 'The stay ends by this local time. Without both ends, the earliest start ranks first.',
  }),
};

export const discoverQuery = z.object({
  restaurantId: entityId,
  sectorId: entityId,
  date: calendarDate,
  partySize: queryPartySize,
  /** Optional when the restaurant has duration rules. */
  duration: queryDuration.optional(),
  ...requestedWindow,
  limit: queryLimit,
});
export type DiscoverQuery = z.output<typeof discoverQuery>;

export const createBookingBody = z.object({
  restaurantId: entityId,
  sectorId: entityId,
  partySize,
  /** Optional when the restaurant has duration rules. */
  durationMinutes: durationMinutes.optional(),
  date: calendarDate,
  ...requestedWindow,
  guestName: z.string().trim().min(1).max(200).optional(),
  guestEmail: z.email().max(320).optional(),
  guestPhone: z
    .string()
    .regex(/^\+?[0-9 ().-]{3,40}$/, { message: 'must be a phone number' })
    .optional(),
  notes: z.string().max(2000).optional(),
  /** When nothing fits: join the sector's waitlist (202) instead of 409 `no_capacity`. */
  waitlist: z.boolean().optional(),
});
export type CreateBookingInput = z.output<typeof createBookingBody>;

/** The guest fields as answers carry them (already checked on the way in). */
export const guestOut = {
  guestName: z.string().optional(),
  guestEmail: z.string().optional(),
  guestPhone: z.string().optional(),
  notes: z.string().optional(),
};

export const dayQuery = z.object({
  restaurantId: entityId,
  sectorId: entityId,
  date: calendarDate,
  /** An instant with an offset: list the day as it stood then. */
  asOf: z.iso.datetime({ offset: true }).optional(),
});
export type DayQuery = z.output<typeof dayQuery>;

export const bookingIdParams = z.object({ id: entityId });

export const idempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, { message: 'must be 1–255 visible ASCII characters' });

export const bookingView = z
  .object({
    id: z.string(),
    restaurantId: z.string(),
    sectorId: z.string(),
    date: calendarDate,
    tableIds: z.array(z.string()),
    partySize: z.int(),
    start: instantWithOffset,
    end: instantWithOffset,
    durationMinutes: z.int(),
    status: z.enum(BOOKING_STATUSES),
    statusReason: z.enum(['cancelled', 'rejected', 'expired']).optional(),
    holdExpiresAt: z.string().optional(),
    ...guestOut,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Booking' });
export type BookingView = z.infer<typeof bookingView>;

export const candidateView = z.object({
  kind: z.enum(['single', 'combo']),
  tableIds: z.array(z.string()),
  start: instantWithOffset,
  end: instantWithOffset,
  score: z.number(),
  rationale: z.string(),
});

export const discoverResponse = z.object({
  slotMinutes: z.literal(15),
  durationMinutes: z.int(),
  candidates: z.array(candidateView),
});
export type DiscoverResponse = z.infer<typeof discoverResponse>;

export const dayResponse = z.object({ date: calendarDate, items: z.array(bookingView) });
export type DayResponse = z.infer<typeof dayResponse>;
