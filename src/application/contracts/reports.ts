import { z } from 'zod';
import { calendarDateSchema, entityIdSchema, instantWithOffsetSchema } from './fields.js';

export const dayReportQuerySchema = z.object({
  restaurantId: entityIdSchema,
  sectorId: entityIdSchema.optional().meta({ description: 'One sector; without it, the whole restaurant (with a line per sector).' }),
  date: calendarDateSchema.meta({ description: 'The service date: a booking belongs to the date its window opened on.' }),
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'The report as it stood at this instant (ISO 8601 with an offset); now when absent.' }),
});
export type DayReportQuery = z.output<typeof dayReportQuerySchema>;

const count = z.int().min(0);
const minutes = z.number().nullable();
const rate = z.number().min(0).nullable();

const tallySchema = z.object({
  booked: count.meta({ description: 'Bookings made for the day, not walk-ins, whatever became of them (cancelled ones included).' }),
  cancelled: count.meta({ description: 'Of the booked: cancelled by the guest, or holds rejected or expired.' }),
  noShows: count.meta({ description: 'Of the booked: marked NO_SHOW.' }),
  seated: count.meta({ description: 'SEATED or FINISHED, walk-ins included.' }),
  walkedIn: count.meta({ description: 'Walk-ins, but for cancelled ones.' }),
});

const stayStatisticsSchema = z.object({
  count,
  averageMinutes: minutes,
  medianMinutes: minutes,
});

const seatUseSchema = z.object({
  occupiedSeatMinutes: z
    .number()
    .meta({ description: 'Σ party size × minutes seated inside service hours (a party still seated counts up to the report instant).' }),
  availableSeatMinutes: z
    .number()
    .meta({ description: 'Σ table maxSize × minutes of service hours, less the minutes its active blackouts take.' }),
  share: rate.meta({ description: 'Occupied over available, 0–1.' }),
});

const hindsightSchema = z
  .object({
    achieved: count.meta({ description: 'Parties seated (SEATED or FINISHED, walk-ins included).' }),
    bound: count.meta({
      description:
        "With hindsight, no seating of the day's requests on these tables seats more parties: an LP bound, never below achieved.",
    }),
    requests: count.meta({ description: 'Requests some stay and some tables could seat at all: the bound never exceeds it.' }),
    share: rate.meta({ description: 'Achieved over bound, 0–1; null when the bound is 0.' }),
    lp: z.enum(['optimal', 'stopped', 'trivial']).meta({
      description:
        'How the LP ended: optimal (its optimum, rounded down); stopped (its work budget ran out first: a looser bound); trivial (a part too big to start counts every request). Each is still a bound.',
    }),
  })
  .meta({ id: 'Hindsight' });

const sectorLineSchema = z.object({
  sectorId: z.string(),
  seatUtilisation: seatUseSchema,
  hindsight: hindsightSchema,
});

export const dayReportSchema = z
  .object({
    restaurantId: z.string(),
    sectorId: z.string().optional(),
    date: z.string(),
    at: instantWithOffsetSchema.meta({ description: 'The instant the report stands at: asOf (at most now), or now.' }),
    parties: tallySchema,
    covers: tallySchema,
    rates: z.object({
      noShow: rate.meta({ description: 'No-shows over bookings due to arrive (booked, not cancelled).' }),
      cancellation: rate.meta({ description: 'Cancelled over booked.' }),
    }),
    turnTimes: z.object({
      all: stayStatisticsSchema,
      byPartySize: z.array(stayStatisticsSchema.extend({ partySize: z.int() })),
      predictedVsActual: z.object({
        count,
        meanAbsoluteErrorMinutes: minutes,
        meanSignedErrorMinutes: minutes.meta({ description: 'Actual − booked stay: positive when parties stay longer.' }),
      }),
    }),
    seatUtilisation: seatUseSchema,
    waitlist: z.object({ joined: count, promoted: count, left: count, waiting: count }),
    pacing: z.object({
      cap: z.int().nullable().meta({
        description: "The cap on covers per interval for the report's scope (the sector's, or the restaurant's); null when none is set.",
      }),
      intervals: z.array(z.object({ start: instantWithOffsetSchema, covers: count })),
    }),
    hindsight: hindsightSchema,
    sectors: z.array(sectorLineSchema),
  })
  .meta({ id: 'DayReport' });
export type DayReport = z.infer<typeof dayReportSchema>;
