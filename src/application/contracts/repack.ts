import { z } from 'zod';
import { calendarDateSchema, entityIdSchema } from './fields.js';

export const repackParamsSchema = z.object({ id: entityIdSchema });

export const repackQuerySchema = z.object({
  date: calendarDateSchema,
  /** `true`: show the plan and change nothing. */
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});
export type RepackQuery = z.output<typeof repackQuerySchema>;

export const repackReportSchema = z
  .object({
    sectorId: z.string(),
    date: calendarDateSchema,
    dryRun: z.boolean(),
    /** Seats left empty, Σ(Σ maxSize − party), before and after. */
    wasteBefore: z.int(),
    wasteAfter: z.int(),
    /** The longest free stretch on any one table within service hours, in minutes. */
    largestGapBeforeMinutes: z.number(),
    largestGapAfterMinutes: z.number(),
    moves: z.array(z.object({ bookingId: z.string(), from: z.array(z.string()), to: z.array(z.string()) })),
  })
  .meta({ id: 'RepackReport' });
export type RepackReport = z.infer<typeof repackReportSchema>;
