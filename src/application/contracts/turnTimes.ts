import { z } from 'zod';

export const turnTimesQuerySchema = z.object({
  /** Weeks of service dates to learn from, up to today (default 12). */
  weeks: z.coerce.number().int().min(1).max(52).optional(),
});
export type TurnTimesQuery = z.output<typeof turnTimesQuerySchema>;

const cellSchema = z.object({
  bucket: z.string().meta({ description: 'party sizes: 1-2, 3-4, 5-6, 7-8, 9+' }),
  weekday: z.int().optional().meta({ description: 'ISO weekday, 1 Monday … 7 Sunday; absent: every weekday' }),
  service: z.string().optional().meta({ description: "the service window's opening (HH:mm); absent: every service" }),
  samples: z.int(),
  medianMinutes: z.number(),
  meanMinutes: z.number(),
});

const errorSchema = z.object({ samples: z.int(), meanAbsoluteMinutes: z.number(), meanSignedMinutes: z.number() });

export const turnTimesViewSchema = z.object({
  restaurantId: z.string(),
  from: z.string(),
  to: z.string(),
  minSamples: z.int(),
  cells: z.array(cellSchema),
  error: z.object({
    /** Every sample: actual stay against the stay it was booked for. */
    booked: errorSchema,
    /** The last week's parties, predicted by what the earlier weeks taught (the booked stay where that is thin). */
    learnedOnLastWeek: errorSchema,
    /** The same parties against their booked stays. */
    bookedOnLastWeek: errorSchema,
  }),
});
export type TurnTimesView = z.output<typeof turnTimesViewSchema>;
