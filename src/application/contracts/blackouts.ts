import { z } from 'zod';
import { calendarDate, entityId } from './fields.js';

const instant = z.iso.datetime({ offset: true }).meta({ example: '2025-10-22T18:00:00-03:00' });

export const blackoutInput = z
  .object({
    id: entityId,
    restaurantId: entityId,
    sectorId: entityId,
    /** Absent: every table of the sector. */
    tableIds: z.array(entityId).min(1).max(500).optional(),
    start: instant,
    end: instant,
    reason: z.string().trim().min(1).max(500).optional(),
    /** Cancel the bookings in the way instead of refusing with 409. */
    cancelConflicting: z.boolean().default(false),
  })
  .refine((input) => Date.parse(input.start) < Date.parse(input.end), { message: 'start must be before end', path: ['end'] });
export type BlackoutInput = z.output<typeof blackoutInput>;

export const blackoutResize = z
  .object({ start: instant, end: instant, cancelConflicting: z.boolean().default(false) })
  .refine((input) => Date.parse(input.start) < Date.parse(input.end), { message: 'start must be before end', path: ['end'] });
export type BlackoutResize = z.output<typeof blackoutResize>;

export const blackoutIdParams = z.object({ id: entityId });

export const blackoutsQuery = z.object({ restaurantId: entityId, sectorId: entityId, date: calendarDate });
export type BlackoutsQuery = z.output<typeof blackoutsQuery>;

export const blackoutView = z
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
export type BlackoutView = z.infer<typeof blackoutView>;

export const blackoutList = z.object({ date: calendarDate, items: z.array(blackoutView) });
