import { z } from 'zod';
import { calendarDateSchema, entityIdSchema, textSchema } from './fields.js';

const instant = z.iso.datetime({ offset: true }).meta({ example: '2025-10-22T18:00:00-03:00' });

export const blackoutInputSchema = z
  .object({
    id: entityIdSchema,
    restaurantId: entityIdSchema,
    sectorId: entityIdSchema,
    /** Absent: every table of the sector. */
    tableIds: z.array(entityIdSchema).min(1).max(500).optional(),
    start: instant,
    end: instant,
    reason: textSchema.trim().min(1).max(500).optional(),
    /** Cancel the bookings in the way instead of refusing with 409. */
    cancelConflicting: z.boolean().default(false),
  })
  .refine((input) => Date.parse(input.start) < Date.parse(input.end), { message: 'start must be before end', path: ['end'] });
export type BlackoutInput = z.output<typeof blackoutInputSchema>;

export const blackoutResizeSchema = z
  .object({ start: instant, end: instant, cancelConflicting: z.boolean().default(false) })
  .refine((input) => Date.parse(input.start) < Date.parse(input.end), { message: 'start must be before end', path: ['end'] });
export type BlackoutResize = z.output<typeof blackoutResizeSchema>;

export const blackoutIdParamsSchema = z.object({ id: entityIdSchema });

export const blackoutsQuerySchema = z.object({ restaurantId: entityIdSchema, sectorId: entityIdSchema, date: calendarDateSchema });
export type BlackoutsQuery = z.output<typeof blackoutsQuerySchema>;

export const blackoutViewSchema = z
  .object({
    id: z.string(),
    restaurantId: z.string(),
    sectorId: z.string(),
    tableIds: z.array(z.string()),
    wholeSector: z.boolean(),
    start: z.string(),
    end: z.string(),
    reason: z.string().optional(),
    status: z.enum(['ACTIVE', 'LIFTED']),
    /** Bookings cancelled to make room, when the caller asked for that. */
    cancelledBookingIds: z.array(z.string()).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Blackout' });
export type BlackoutView = z.infer<typeof blackoutViewSchema>;

export const blackoutListSchema = z.object({ date: calendarDateSchema, items: z.array(blackoutViewSchema) });
