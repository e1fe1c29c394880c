import type { Booking } from '../../domain/bookings/booking.js';
import {
  learnTurnTimes,
  learnedCell,
  predictionError,
  serviceKeyOf,
  weekdayOf,
  bookableStay,
  type TurnSample,
  type TurnTimes,
} from '../../domain/insight/turnTimes.js';
import type { Restaurant, Sector } from '../../domain/restaurants/restaurant.js';
import { addDays, type CalendarDate } from '../../domain/time/calendarDate.js';
import { localPartsOf } from '../../domain/time/zone.js';
import { parseLocalTime } from '../../domain/time/localTime.js';
import type { TurnTimesQuery, TurnTimesView } from '../contracts/turnTimes.js';
import type { Dependencies } from '../dependencies.js';
import type { ReadModel } from '../ports/readModel.js';
import type { Clock } from '../ports/runtime.js';
import { requireRestaurant } from '../lookups.js';

/** Weeks of service dates learned from, by default and at most. */
const DEFAULT_WEEKS = 12;
/** Samples a cell needs before a restaurant with `learned` but no `minSamples` trusts it. */
const DEFAULT_MIN_SAMPLES = 5;
/** How long a process keeps a restaurant's learned figures before reading its history again. */
const FRESH_FOR_MS = 10 * 60_000;
/** Dates read at once: a week. */
const DATES_AT_ONCE = 7;

type Dated = TurnSample & { date: CalendarDate };

/**
 * The restaurant's finished parties over the `weeks` of service dates up to `today`:
 * seated → finished, each with its weekday and service (the window its booked start
 * falls in, named by its opening). Read day by day and sector by sector through the
 * day lists, so the cost follows the weeks asked for, not the history.
 */
async function turnSamples(reads: ReadModel, restaurant: Restaurant, today: CalendarDate, weeks: number): Promise<Dated[]> {
  const sectors = (await reads.sectorsOfRestaurant(restaurant.id)).map(({ sector }) => sector);
  const dates = Array.from({ length: weeks * 7 }, (_, back) => addDays(today, -back));
  const samples: Dated[] = [];
  for (let from = 0; from < dates.length; from += DATES_AT_ONCE) {
    const days = await Promise.all(
      dates
        .slice(from, from + DATES_AT_ONCE)
        .flatMap((date) =>
          sectors.map(async (sector) => ({ sector, bookings: await reads.bookingsOfDay(restaurant.id, sector.id, date) })),
        ),
    );
    for (const { sector, bookings } of days) {
      for (const booking of bookings) {
        if (booking.status !== 'FINISHED' || booking.seatedAt === undefined || booking.finishedAt === undefined) continue;
        const sample = sampleOf(restaurant, sector, booking);
        if (sample) samples.push(sample);
      }
    }
  }
  return samples;
}

function sampleOf(restaurant: Restaurant, sector: Sector, booking: Booking): Dated | null {
  const service = serviceKeyOf(sector.windows ?? restaurant.windows, localPartsOf(restaurant.timezone, booking.start).minute);
  const minutes = Math.round((booking.finishedAt! - booking.seatedAt!) / 60_000);
  if (service === null || minutes <= 0) return null;
  return {
    date: booking.date,
    partySize: booking.partySize,
    weekday: weekdayOf(booking.date),
    service,
    minutes,
    bookedMinutes: booking.durationMinutes,
  };
}

const todayOf = (restaurant: Restaurant, now: number) => localPartsOf(restaurant.timezone, now).date;

/** `GET /restaurants/:id/turn-times`: the learned cells, and how far bookings' stays and the learned ones fell from the truth. */
export async function turnTimesReport(deps: Dependencies, restaurantId: string, query: TurnTimesQuery): Promise<TurnTimesView> {
  const restaurant = await requireRestaurant(deps.reads, restaurantId);
  const to = todayOf(restaurant, deps.clock.now());
  const weeks = query.weeks ?? DEFAULT_WEEKS;
  const samples = await turnSamples(deps.reads, restaurant, to, weeks);
  const minSamples = restaurant.durationRules?.minSamples ?? DEFAULT_MIN_SAMPLES;
  // The learned figures judged honestly: those of the earlier weeks predict the last week's parties.
  const lastWeek = addDays(to, -6);
  const earlier = learnTurnTimes(samples.filter((sample) => sample.date < lastWeek));
  const recent = samples.filter((sample) => sample.date >= lastWeek);
  const learnedOrBooked = (sample: TurnSample) => learnedCell(earlier, sample, minSamples)?.medianMinutes ?? sample.bookedMinutes;
  return {
    restaurantId,
    from: addDays(to, -(weeks * 7 - 1)),
    to,
    minSamples,
    cells: [...learnTurnTimes(samples).values()].sort(
      (a, b) =>
        a.bucket.localeCompare(b.bucket, 'en', { numeric: true }) ||
        (a.weekday ?? 0) - (b.weekday ?? 0) ||
        (a.service ?? '').localeCompare(b.service ?? ''),
    ),
    error: {
      booked: predictionError(samples),
      learnedOnLastWeek: predictionError(recent, learnedOrBooked),
      bookedOnLastWeek: predictionError(recent),
    },
  };
}

/**
 * Learned figures per restaurant, read again at most every ten minutes (by the
 * application's clock): discover must not read weeks of history per request.
 */
export class TurnTimeMemo {
  private readonly kept = new Map<string, { at: number; today: CalendarDate; model: TurnTimes }>();

  constructor(private readonly clock: Clock) {}

  /** When the restaurant's figures in use were read (0: never): answers that used them are kept under it. */
  version(restaurantId: string): number {
    return this.kept.get(restaurantId)?.at ?? 0;
  }

  async of(reads: ReadModel, restaurant: Restaurant): Promise<TurnTimes> {
    const now = this.clock.now();
    const today = todayOf(restaurant, now);
    const kept = this.kept.get(restaurant.id);
    if (kept && now - kept.at < FRESH_FOR_MS && kept.today === today) return kept.model;
    const model = learnTurnTimes(await turnSamples(reads, restaurant, today, DEFAULT_WEEKS));
    this.kept.set(restaurant.id, { at: now, today, model });
    return model;
  }
}

/**
 * The stay of a request that gives none, for a restaurant that learns them: the
 * median of the most specific cell with enough samples (the service from
 * `windowStart` when given), on the grid and within the range; undefined to fall
 * back to the fixed rules.
 */
export async function learnedStay(
  reads: ReadModel,
  memo: TurnTimeMemo,
  restaurant: Restaurant,
  sector: Sector | undefined,
  request: { partySize: number; date: CalendarDate; windowStart?: string | undefined; durationMinutes?: number | undefined },
): Promise<number | undefined> {
  const rules = restaurant.durationRules;
  if (!rules?.learned || request.durationMinutes !== undefined) return undefined;
  const model = await memo.of(reads, restaurant);
  const windows = sector?.windows ?? restaurant.windows;
  const start = request.windowStart === undefined ? null : parseLocalTime(request.windowStart);
  const service = start === null ? undefined : (serviceKeyOf(windows, start) ?? undefined);
  const cell = learnedCell(
    model,
    { partySize: request.partySize, weekday: weekdayOf(request.date), service },
    rules.minSamples ?? DEFAULT_MIN_SAMPLES,
  );
  return cell ? bookableStay(cell.medianMinutes, restaurant.durationRange) : undefined;
}
