import type { CalendarDate } from '../time/calendarDate.js';
import { parseLocalTime } from '../time/localTime.js';
import type { LocalWindow } from '../time/serviceWindows.js';

/**
 * How long parties actually stay, learned from seated → finished: per party-size
 * bucket, weekday and service, with coarser cells for when the fine ones are thin.
 */

/** Party sizes that turn alike: a two-top's couple, a four-top's family, and so on. */
const BUCKETS: readonly (readonly [number, number])[] = [
  [1, 2],
  [3, 4],
  [5, 6],
  [7, 8],
  [9, Number.POSITIVE_INFINITY],
];

export function bucketOf(partySize: number): string {
  const [low, high] = BUCKETS.find(([, upTo]) => partySize <= upTo)!;
  return high === Number.POSITIVE_INFINITY ? `${low}+` : `${low}-${high}`;
}

/** ISO weekday of a civil date: 1 Monday … 7 Sunday (a date has no zone). */
export function weekdayOf(date: CalendarDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The service a local time belongs to, named by its window's opening (`"19:00"`);
 * `"00:00"` for a place without windows (the whole day). A window whose end is
 * before its start crosses midnight.
 */
export function serviceKeyOf(windows: readonly LocalWindow[] | undefined, localMinute: number): string | null {
  if (!windows || windows.length === 0) return '00:00';
  for (const window of windows) {
    const start = parseLocalTime(window.start)!;
    const end = parseLocalTime(window.end)!;
    const inside = end > start ? start <= localMinute && localMinute < end : localMinute >= start || localMinute < end;
    if (inside) return window.start;
  }
  return null;
}

export interface TurnSample {
  partySize: number;
  weekday: number;
  service: string;
  /** Seated → finished. */
  minutes: number;
  /** The stay it was booked for: what was predicted. */
  bookedMinutes: number;
}

export interface TurnCell {
  bucket: string;
  /** Absent on a cell over every weekday. */
  weekday?: number;
  /** Absent on a cell over every service. */
  service?: string;
  samples: number;
  medianMinutes: number;
  meanMinutes: number;
}

export type TurnTimes = ReadonlyMap<string, TurnCell>;

const cellKey = (bucket: string, weekday?: number, service?: string) => `${bucket}|${weekday ?? '*'}|${service ?? '*'}`;

function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Every cell the samples fill: (bucket, weekday, service), (bucket, service), (bucket, weekday) and (bucket). */
export function learnTurnTimes(samples: readonly TurnSample[]): TurnTimes {
  const groups = new Map<string, { bucket: string; weekday?: number; service?: string; minutes: number[] }>();
  for (const sample of samples) {
    const bucket = bucketOf(sample.partySize);
    for (const [weekday, service] of [
      [sample.weekday, sample.service],
      [undefined, sample.service],
      [sample.weekday, undefined],
      [undefined, undefined],
    ] as const) {
      const key = cellKey(bucket, weekday, service);
      let group = groups.get(key);
      if (!group) {
        group = { bucket, ...(weekday === undefined ? {} : { weekday }), ...(service === undefined ? {} : { service }), minutes: [] };
        groups.set(key, group);
      }
      group.minutes.push(sample.minutes);
    }
  }
  const cells = new Map<string, TurnCell>();
  for (const [key, { minutes, ...where }] of groups) {
    const sorted = [...minutes].sort((a, b) => a - b);
    const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
    cells.set(key, { ...where, samples: sorted.length, medianMinutes: median(sorted), meanMinutes: Math.round(mean * 10) / 10 });
  }
  return cells;
}

/**
 * The most specific cell with at least `minSamples` samples for a party: its
 * bucket on that weekday and service, then that service on any weekday, then that
 * weekday, then any. Null when even the bucket's cell is thinner than that.
 */
export function learnedCell(
  model: TurnTimes,
  party: { partySize: number; weekday: number; service?: string | undefined },
  minSamples: number,
): TurnCell | null {
  const bucket = bucketOf(party.partySize);
  const candidates =
    party.service === undefined
      ? [cellKey(bucket, party.weekday), cellKey(bucket)]
      : [
          cellKey(bucket, party.weekday, party.service),
          cellKey(bucket, undefined, party.service),
          cellKey(bucket, party.weekday),
          cellKey(bucket),
        ];
  for (const key of candidates) {
    const cell = model.get(key);
    if (cell && cell.samples >= minSamples) return cell;
  }
  return null;
}

/** A learned stay as a bookable one: up to the 15-minute grid, within the restaurant's range. */
export function bookableStay(minutes: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, Math.ceil(minutes / 15) * 15));
}

export interface PredictionError {
  samples: number;
  /** Mean |actual − predicted|, minutes. */
  meanAbsoluteMinutes: number;
  /** Mean actual − predicted: positive when parties stay longer than booked. */
  meanSignedMinutes: number;
}

/** How far actual stays fell from a prediction of each (by default, the stay it was booked for). */
export function predictionError(
  samples: readonly TurnSample[],
  predict: (sample: TurnSample) => number = (s) => s.bookedMinutes,
): PredictionError {
  if (samples.length === 0) return { samples: 0, meanAbsoluteMinutes: 0, meanSignedMinutes: 0 };
  let absolute = 0;
  let signed = 0;
  for (const sample of samples) {
    const difference = sample.minutes - predict(sample);
    absolute += Math.abs(difference);
    signed += difference;
  }
  const round = (value: number) => Math.round((value / samples.length) * 10) / 10;
  return { samples: samples.length, meanAbsoluteMinutes: round(absolute), meanSignedMinutes: round(signed) };
}
