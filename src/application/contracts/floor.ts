import { z } from 'zod';
import { bookingViewSchema } from './bookings.js';
import { guestBriefSchema } from './guests.js';
import { durationMinutesSchema, entityIdSchema, instantWithOffsetSchema, partySizeSchema } from './fields.js';

export const walkInBodySchema = z.object({
  restaurantId: entityIdSchema,
  sectorId: entityIdSchema.optional().meta({ description: 'Without it, the best of the sectors in service now.' }),
  partySize: partySizeSchema,
  /** Optional when the restaurant has duration rules. */
  durationMinutes: durationMinutesSchema.optional(),
  allowShort: z.boolean().optional().meta({
    description: 'When nothing is free for the whole stay: seat the party anyway, until the next booking on its tables (`short: true`).',
  }),
});
export type WalkInInput = z.output<typeof walkInBodySchema>;

export const walkInViewSchema = bookingViewSchema
  .extend({ short: z.literal(true).optional().meta({ description: 'Seated for less than its stay, until the next booking.' }) })
  .meta({ id: 'WalkIn' });
export type WalkInView = z.infer<typeof walkInViewSchema>;

export const seatBodySchema = z
  .object({
    extend: z.boolean().optional().meta({
      description: 'Keep the tables for the whole booked stay from the moment the party sits down (when they are free).',
    }),
  })
  .optional();
export type SeatOptions = NonNullable<z.output<typeof seatBodySchema>>;

export const floorQuerySchema = z.object({
  restaurantId: entityIdSchema,
  sectorId: entityIdSchema,
  /** An instant with an offset; now when absent. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type FloorQuery = z.output<typeof floorQuerySchema>;

const FLOOR_STATES = ['free', 'booked_soon', 'awaiting', 'seated', 'blacked_out'] as const;

const tableStateSchema = z.object({
  tableId: z.string(),
  name: z.string(),
  minSize: z.int(),
  maxSize: z.int(),
  state: z.enum(FLOOR_STATES).meta({
    description:
      'free; booked_soon: a booking starts within the look-ahead; awaiting: a booking has started and its party is not seated; seated; blacked_out',
  }),
  bookingId: z.string().optional(),
  blackoutId: z.string().optional(),
  partySize: z.int().optional(),
  /** The party's guest profile, for the host seating it: visits, no-shows and tags (never contacts). */
  guest: guestBriefSchema.optional(),
  since: instantWithOffsetSchema.optional(),
  until: instantWithOffsetSchema.optional(),
  /** The next booking or blackout on the table after this state, if any today. */
  nextAt: instantWithOffsetSchema.optional(),
});
export type TableStateView = z.infer<typeof tableStateSchema>;

export const floorViewSchema = z.object({
  restaurantId: z.string(),
  sectorId: z.string(),
  at: instantWithOffsetSchema,
  tables: z.array(tableStateSchema),
});
export type FloorView = z.infer<typeof floorViewSchema>;
