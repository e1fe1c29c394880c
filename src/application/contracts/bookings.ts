import { z } from 'zod';
import { BOOKING_STATUSES } from '../../domain/bookings/booking.js';
import {
  calendarDateSchema,
  durationMinutesSchema,
  entityIdSchema,
  gridTimeSchema,
  instantWithOffsetSchema,
  partySizeSchema,
  queryDurationSchema,
  queryLimitSchema,
  queryPartySizeSchema,
  textSchema,
} from './fields.js';

const requestedWindow = {
  windowStart: gridTimeSchema.optional().meta({
    description:
      'The stay starts at or after this local time. With windowEnd too, stays flush with their neighbours rank before earlier ones.',
  }),
  windowEnd: gridTimeSchema.optional().meta({
    description: 'The stay ends by this local time. Without both ends, the earliest start ranks first.',
  }),
};

export const discoverQuerySchema = z.object({
  restaurantId: entityIdSchema,
  sectorId: entityIdSchema,
  date: calendarDateSchema,
  partySize: queryPartySizeSchema,
  /** Optional when the restaurant has duration rules. */
  duration: queryDurationSchema.optional(),
  ...requestedWindow,
  limit: queryLimitSchema,
});
export type DiscoverQuery = z.output<typeof discoverQuerySchema>;

export const createBookingBodySchema = z.object({
  restaurantId: entityIdSchema,
  sectorId: entityIdSchema,
  partySize: partySizeSchema,
  /** Optional when the restaurant has duration rules. */
  durationMinutes: durationMinutesSchema.optional(),
  date: calendarDateSchema,
  ...requestedWindow,
  guestName: textSchema.trim().min(1).max(200).optional(),
  guestEmail: z.email().max(320).optional(),
  guestPhone: z
    .string()
    .regex(/^\+?[0-9 ().-]{3,40}$/, { message: 'must be a phone number' })
    .optional(),
  notes: textSchema.max(2000).optional(),
  /** When nothing fits: join the sector's waitlist (202) instead of 409 `no_capacity`. */
  waitlist: z.boolean().optional(),
});
export type CreateBookingInput = z.output<typeof createBookingBodySchema>;

/** The guest fields as answers carry them (already checked on the way in). */
export const guestOut = {
  guestName: z.string().optional(),
  guestEmail: z.string().optional(),
  guestPhone: z.string().optional(),
  notes: z.string().optional(),
  /** In the create answer (and its idempotent replays) only: send it as `X-Booking-Token` to read or cancel this one object. */
  manageToken: z.string().optional(),
};

export const dayQuerySchema = z.object({
  restaurantId: entityIdSchema,
  sectorId: entityIdSchema,
  date: calendarDateSchema,
  /** An instant with an offset: list the day as it stood then. */
  asOf: z.iso.datetime({ offset: true }).optional(),
});
export type DayQuery = z.output<typeof dayQuerySchema>;

export const bookingIdParamsSchema = z.object({ id: entityIdSchema });

export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/, { message: 'must be 1–255 visible ASCII characters' });

export const bookingViewSchema = z
  .object({
    id: z.string(),
    restaurantId: z.string(),
    sectorId: z.string(),
    date: calendarDateSchema,
    tableIds: z.array(z.string()),
    partySize: z.int(),
    start: instantWithOffsetSchema,
    end: instantWithOffsetSchema,
    durationMinutes: z.int(),
    status: z.enum(BOOKING_STATUSES),
    statusReason: z.enum(['cancelled', 'rejected', 'expired']).optional(),
    holdExpiresAt: z.string().optional(),
    ...guestOut,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Booking' });
export type BookingView = z.infer<typeof bookingViewSchema>;

const candidateViewSchema = z.object({
  kind: z.enum(['single', 'combo']),
  tableIds: z.array(z.string()),
  start: instantWithOffsetSchema,
  end: instantWithOffsetSchema,
  score: z.number(),
  rationale: z.string(),
});

export const discoverResponseSchema = z.object({
  slotMinutes: z.literal(15),
  durationMinutes: z.int(),
  candidates: z.array(candidateViewSchema),
});
export type DiscoverResponse = z.infer<typeof discoverResponseSchema>;

export const dayResponseSchema = z.object({ date: calendarDateSchema, items: z.array(bookingViewSchema) });
export type DayResponse = z.infer<typeof dayResponseSchema>;
