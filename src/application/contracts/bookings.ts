import { z } from 'zod';
import { BOOKING_STATUSES } from '../../domain/bookings/booking.js';
import { CHANNELS } from '../../domain/restaurants/restaurant.js';
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
import { errorBodySchema } from './errors.js';

const requestedWindow = {
  windowStart: gridTimeSchema.optional().meta({
    description:
      'The stay starts at or after this local time. With windowEnd too, stays flush with their neighbours rank before earlier ones.',
  }),
  windowEnd: gridTimeSchema.optional().meta({
    description: 'The stay ends by this local time. Without both ends, the earliest start ranks first.',
  }),
};

/** Guests rarely know the sectors: without one, every sector of the restaurant is searched and ranked together. */
const sectorToSearch = entityIdSchema.optional().meta({
  description:
    'The sector to search. Without it every sector of the restaurant is searched and the candidates ranked together (the sector id breaks the last tie).',
});

export const discoverQuerySchema = z.object({
  restaurantId: entityIdSchema,
  sectorId: sectorToSearch,
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
  sectorId: sectorToSearch,
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
  /**
   * When nothing fits: join the sector's waitlist (202) instead of 409 `no_capacity`.
   * Without a sectorId: the first sector, by id, whose tables could ever seat the party.
   */
  waitlist: z.boolean().optional(),
  /** Staff only (an online caller gets 403): book past a full pacing interval; recorded with the actor. */
  override: z.boolean().optional(),
});
export type CreateBookingInput = z.output<typeof createBookingBodySchema>;

/** The guest fields as answers carry them (already checked on the way in). */
export const guestOut = {
  /** The guest profile the phone or email matched (`GET /guests/:id`). */
  guestId: z.string().optional(),
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
    source: z
      .enum(CHANNELS)
      .optional()
      .meta({ description: 'online, staff or walk_in; bookings made before channels existed read as online' }),
    holdExpiresAt: z.string().optional(),
    seatedAt: z.string().optional(),
    seatedUntil: z.string().optional().meta({ description: 'While seated: until when the tables are kept.' }),
    finishedAt: z.string().optional(),
    noShowAt: z.string().optional(),
    noShowAutomatic: z.boolean().optional().meta({ description: 'Marked by the sweeper once the grace period passed.' }),
    pacingOverride: z.object({ actor: z.string() }).optional(),
    ...guestOut,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Booking' });
export type BookingView = z.infer<typeof bookingViewSchema>;

const candidateViewSchema = z.object({
  /** The sector whose tables these are. */
  sectorId: z.string(),
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

const alternativeViewSchema = z
  .object({
    date: calendarDateSchema,
    start: instantWithOffsetSchema,
    end: instantWithOffsetSchema,
    sectorId: z.string(),
    tableIds: z.array(z.string()),
    kind: z.enum(['single', 'combo']),
  })
  .meta({ id: 'Alternative' });
export type AlternativeView = z.infer<typeof alternativeViewSchema>;

/** A `no_capacity` refusal of discover or create: what fits nearest outside what was asked. */
export const noCapacityBodySchema = errorBodySchema
  .extend({
    alternatives: z.array(alternativeViewSchema).optional().meta({
      description:
        'With no_capacity, for callers who may discover: the nearest stays outside the requested window on the same date (the latest start before it, the earliest end after it), then one on the next and one on the previous date; nearest first, at most 4, none in the past, none for a party no table could ever seat.',
    }),
  })
  .meta({ id: 'ErrorWithAlternatives' });

export const dayResponseSchema = z.object({ date: calendarDateSchema, items: z.array(bookingViewSchema) });
export type DayResponse = z.infer<typeof dayResponseSchema>;
