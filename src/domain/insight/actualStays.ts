import type { Booking } from '../bookings/booking.js';

const MINUTE_MS = 60_000;

interface StayStatistics {
  count: number;
  /** Minutes, to two decimals; null with no finished party. */
  averageMinutes: number | null;
  /** The middle stay (the mean of the two middle ones for an even count), minutes to two decimals. */
  medianMinutes: number | null;
}

export interface TurnFigures {
  /** Parties that sat down and left (FINISHED), walk-ins included: seatedAt → finishedAt. */
  all: StayStatistics;
  byPartySize: (StayStatistics & { partySize: number })[];
  /** The booked stay (`durationMinutes`) against the actual one, over the same finished parties. */
  predictedVsActual: {
    count: number;
    meanAbsoluteErrorMinutes: number | null;
    /** Actual − booked: positive when parties stay longer than they were booked for. */
    meanSignedErrorMinutes: number | null;
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : round2(values.reduce((sum, value) => sum + value, 0) / values.length);
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return round2(sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2);
}

const statistics = (minutes: readonly number[]): StayStatistics => ({
  count: minutes.length,
  averageMinutes: mean(minutes),
  medianMinutes: median(minutes),
});

interface FinishedStay {
  partySize: number;
  booked: number;
  actual: number;
}

function finishedStays(bookings: readonly Booking[]): FinishedStay[] {
  const stays: FinishedStay[] = [];
  for (const booking of bookings) {
    if (booking.status !== 'FINISHED' || booking.seatedAt === undefined || booking.finishedAt === undefined) continue;
    const actual = (booking.finishedAt - booking.seatedAt) / MINUTE_MS;
    stays.push({ partySize: booking.partySize, booked: booking.durationMinutes, actual });
  }
  return stays;
}

/** How long finished parties really stayed, by party size, and how far that was from the stay they were booked for. */
export function turnFigures(bookings: readonly Booking[]): TurnFigures {
  const stays = finishedStays(bookings);
  const bySize = new Map<number, number[]>();
  for (const stay of stays) bySize.set(stay.partySize, [...(bySize.get(stay.partySize) ?? []), stay.actual]);
  return {
    all: statistics(stays.map((stay) => stay.actual)),
    byPartySize: [...bySize.entries()].sort(([a], [b]) => a - b).map(([partySize, minutes]) => ({ partySize, ...statistics(minutes) })),
    predictedVsActual: {
      count: stays.length,
      meanAbsoluteErrorMinutes: mean(stays.map((stay) => Math.abs(stay.actual - stay.booked))),
      meanSignedErrorMinutes: mean(stays.map((stay) => stay.actual - stay.booked)),
    },
  };
}
