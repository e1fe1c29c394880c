import { z } from 'zod';
import { guestOut } from './bookings.js';
import { calendarDateSchema, entityIdSchema } from './fields.js';

export const waitlistIdParamsSchema = z.object({ id: entityIdSchema });

export const waitlistEntryViewSchema = z
  .object({
    id: z.string(),
    restaurantId: z.string(),
    sectorId: z.string(),
    date: calendarDateSchema,
    partySize: z.int(),
    durationMinutes: z.int().optional(),
    windowStart: z.string().optional(),
    windowEnd: z.string().optional(),
    status: z.enum(['WAITING', 'BOOKED', 'LEFT']),
    /** Once BOOKED: the booking it was promoted to. */
    bookingId: z.string().optional(),
    ...guestOut,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WaitlistEntry' });
export type WaitlistEntryView = z.infer<typeof waitlistEntryViewSchema>;
