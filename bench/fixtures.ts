import type { CreateBookingInput } from '../src/application/contracts/bookings.js';
import type { RestaurantInput, SectorInput, TableInput } from '../src/application/contracts/setup.js';
import type { WokiBrain } from '../src/application/wokiBrain.js';
import { AppError } from '../src/errors/catalogue.js';
import { mulberry32, shuffle, weighted } from './prng.js';

export const DATE = '2025-10-22';
const ZONE = 'America/Argentina/Buenos_Aires';
export const BOOKINGS_ON_THE_DAY = 1000;
const SEED = 20_251_022;
const CALLER = { actor: 'bench' };

/**
 * Stay lengths of the day's bookings and their weights (mean 37.5 min). 1,000 stays
 * on 100 tables over 8 h 45 min of service must be short: this fills about 71% of
 * the table-minutes, so the busy day still leaves gaps for discover to find.
 */
const DURATIONS = [
  [30, 6],
  [45, 3],
  [60, 1],
] as const;

/** The SPEC demo restaurant, as `seedDemo` (and a server's first start) loads it. */
export const DEMO = { restaurantId: 'R1', sectorId: 'S1' } as const;

/** The large sector: its own restaurant, so the demo data stays as the SPEC has it. */
export const BIG = { restaurantId: 'RB100', sectorId: 'SB100' } as const;

const SERVICE = [
  { start: '12:00', end: '16:00' },
  { start: '19:00', end: '23:45' },
] as const;

export const bigRestaurant: RestaurantInput = {
  id: BIG.restaurantId,
  name: 'Bench Hall',
  timezone: ZONE,
  windows: SERVICE.map((window) => ({ ...window })),
};

export const bigSector: SectorInput = { id: BIG.sectorId, restaurantId: BIG.restaurantId, name: 'Hundred Tables' };

/** 100 tables: 30 two-tops, 40 four-tops, 20 six-tops, 10 eight-tops, ids shuffled over the sizes. */
export function bigTables(): TableInput[] {
  const sizes: [number, number][] = [
    ...Array.from({ length: 30 }, (): [number, number] => [1, 2]),
    ...Array.from({ length: 40 }, (): [number, number] => [2, 4]),
    ...Array.from({ length: 20 }, (): [number, number] => [4, 6]),
    ...Array.from({ length: 10 }, (): [number, number] => [6, 8]),
  ];
  shuffle(mulberry32(SEED), sizes);
  return sizes.map(([minSize, maxSize], i) => {
    const id = `B${String(i + 1).padStart(3, '0')}`;
    return { id, sectorId: BIG.sectorId, name: id, minSize, maxSize };
  });
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function minutesOf(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * An endless, seeded stream of booking requests: a party size, a stay of 30, 45
 * or 60 minutes and one exact grid start inside a service window (windowStart..windowEnd
 * spans the stay), so the engine picks the table and the day fills up evenly.
 */
function* bookingRequests(seed = SEED): Generator<CreateBookingInput> {
  const random = mulberry32(seed ^ 0x9e3779b9);
  const windows = SERVICE.map((w) => ({ start: minutesOf(w.start), end: minutesOf(w.end) }));
  for (;;) {
    const partySize = weighted(random, [
      [1, 5],
      [2, 30],
      [3, 15],
      [4, 25],
      [5, 8],
      [6, 9],
      [7, 4],
      [8, 4],
    ] as const);
    const durationMinutes = weighted(random, DURATIONS);
    const window = weighted(random, [
      [windows[0]!, 4],
      [windows[1]!, 4.75],
    ] as const);
    const slots = (window.end - window.start - durationMinutes) / 15 + 1;
    const start = window.start + 15 * Math.floor(random() * slots);
    yield {
      restaurantId: BIG.restaurantId,
      sectorId: BIG.sectorId,
      partySize,
      durationMinutes,
      date: DATE,
      windowStart: hhmm(start),
      windowEnd: hhmm(start + durationMinutes),
    };
  }
}

export interface BookedDay {
  /** The requests that were accepted, in order: replaying them on an empty sector rebuilds the same day. */
  accepted: CreateBookingInput[];
  /** The tables each accepted request got, to check a replay against. */
  tableIds: string[][];
  attempts: number;
  combos: number;
}

export async function loadDemo(app: WokiBrain): Promise<void> {
  await app.seedDemo(CALLER);
}

/** Registers the 100-table sector and books the day through `app.createBooking`. */
export async function loadBig(app: WokiBrain, bookings = BOOKINGS_ON_THE_DAY, maxAttempts = 200_000): Promise<BookedDay> {
  await app.registerRestaurant(bigRestaurant, CALLER);
  await app.addSector(bigSector, CALLER);
  for (const table of bigTables()) await app.addTable(table, CALLER);

  const day: BookedDay = { accepted: [], tableIds: [], attempts: 0, combos: 0 };
  for (const request of bookingRequests()) {
    if (day.accepted.length === bookings) break;
    if (++day.attempts > maxAttempts) {
      throw new Error(`only ${day.accepted.length} of ${bookings} bookings fit after ${maxAttempts} attempts`);
    }
    try {
      const created = await app.createBooking(request, CALLER);
      if (created.status !== 201) throw new Error('the bench never asks to wait');
      day.accepted.push(request);
      day.tableIds.push(created.body.tableIds);
      if (created.body.tableIds.length > 1) day.combos++;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'no_capacity')) throw error;
    }
  }
  return day;
}
