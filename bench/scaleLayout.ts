import { mulberry32 } from './prng.js';
import type { ScaleRequest } from './scaleLoad.js';

/**
 * The group the scale benchmark books into: `restaurants` × 2 sectors × 15 tables,
 * service 12:00–23:30. Booking number n has a fixed place: the sectors in turn
 * (so concurrent callers never share a sector lock), `PER_SECTOR_DATE` bookings per
 * sector and date, then the next date. History grows date by date, as it would.
 */
export const SECTORS_PER_RESTAURANT = 2;
const PER_SECTOR_DATE = 8;
const TIMEZONE = 'America/Argentina/Buenos_Aires';
/** The first service date: in the future, so every stay can still be booked. */
const FIRST_DATE = Date.UTC(2027, 2, 1);
const DAY_MS = 86_400_000;

/** 15 tables a sector: 4 × (1–2), 6 × (2–4), 3 × (4–6), 2 × (6–8). */
const TABLE_SIZES: readonly (readonly [number, number])[] = [
  ...Array.from({ length: 4 }, () => [1, 2] as const),
  ...Array.from({ length: 6 }, () => [2, 4] as const),
  ...Array.from({ length: 3 }, () => [4, 6] as const),
  ...Array.from({ length: 2 }, () => [6, 8] as const),
];
export const TABLES_PER_SECTOR = TABLE_SIZES.length;
const PARTIES = [2, 2, 3, 4, 2, 4, 5, 6, 2, 3] as const;
const STAYS = [60, 90, 90, 120] as const;

const restaurantId = (r: number) => `SC${r}`;
/** Sector number s of the group (0 … restaurants × 2 − 1). */
const sectorOf = (s: number) => ({
  restaurantId: restaurantId(Math.floor(s / SECTORS_PER_RESTAURANT)),
  sectorId: `${restaurantId(Math.floor(s / SECTORS_PER_RESTAURANT))}-S${s % SECTORS_PER_RESTAURANT}`,
});

function isoDate(index: number): string {
  return new Date(FIRST_DATE + index * DAY_MS).toISOString().slice(0, 10);
}

/** What the admin API is sent to build the group, in order: restaurants, then their sectors, then the tables. */
export function setupRequests(restaurants: number): { path: string; body: unknown }[][] {
  const phases: { path: string; body: unknown }[][] = [[], [], []];
  for (let r = 0; r < restaurants; r++) {
    phases[0]!.push({
      path: '/api/v1/admin/restaurants',
      body: { id: restaurantId(r), name: `Scale ${r}`, timezone: TIMEZONE, windows: [{ start: '12:00', end: '23:30' }] },
    });
    for (let s = 0; s < SECTORS_PER_RESTAURANT; s++) {
      const sectorId = `${restaurantId(r)}-S${s}`;
      phases[1]!.push({ path: '/api/v1/admin/sectors', body: { id: sectorId, restaurantId: restaurantId(r), name: `Sector ${s}` } });
      TABLE_SIZES.forEach(([minSize, maxSize], t) =>
        phases[2]!.push({ path: '/api/v1/admin/tables', body: { id: `${sectorId}-T${t}`, sectorId, minSize, maxSize } }),
      );
    }
  }
  return phases;
}

/** Booking number n of the group: its sector, date, party and stay. */
export function bookingInput(restaurants: number, n: number) {
  const sectors = restaurants * SECTORS_PER_RESTAURANT;
  const { restaurantId, sectorId } = sectorOf(n % sectors);
  return {
    restaurantId,
    sectorId,
    partySize: PARTIES[n % PARTIES.length]!,
    durationMinutes: STAYS[Math.floor(n / sectors) % STAYS.length]!,
    date: isoDate(Math.floor(n / (sectors * PER_SECTOR_DATE))),
  };
}

/** How many service dates the first `booked` booking numbers reach. */
export function datesHeld(restaurants: number, booked: number): number {
  return Math.max(1, Math.ceil(booked / (restaurants * SECTORS_PER_RESTAURANT * PER_SECTOR_DATE)));
}

export function createRequest(restaurants: number, n: number): ScaleRequest {
  return { method: 'POST', path: '/api/v1/woki/bookings', body: JSON.stringify(bookingInput(restaurants, n)) };
}

/**
 * Discover queries that miss every per-process memo: a random sector, date (among
 * those that hold bookings), party and stay each time, so each reads the sector's
 * seats for that day from the store.
 */
export function discoverRequests(restaurants: number, dates: number, seed: number): () => ScaleRequest {
  const random = mulberry32(seed);
  const sectors = restaurants * SECTORS_PER_RESTAURANT;
  return () => {
    const { restaurantId, sectorId } = sectorOf(Math.floor(random() * sectors));
    const query = new URLSearchParams({
      restaurantId,
      sectorId,
      date: isoDate(Math.floor(random() * dates)),
      partySize: String(1 + Math.floor(random() * 8)),
      duration: String(STAYS[Math.floor(random() * STAYS.length)]!),
    });
    return { method: 'GET', path: `/api/v1/woki/discover?${query.toString()}` };
  };
}

/** A sector's bookings of one date (staff read, with the admin secret): random sector and date among those held. */
export function dayRequests(restaurants: number, dates: number, seed: number, adminSecret: string): () => ScaleRequest {
  const random = mulberry32(seed);
  const sectors = restaurants * SECTORS_PER_RESTAURANT;
  return () => {
    const { restaurantId, sectorId } = sectorOf(Math.floor(random() * sectors));
    const query = new URLSearchParams({ restaurantId, sectorId, date: isoDate(Math.floor(random() * dates)) });
    return { method: 'GET', path: `/api/v1/woki/bookings/day?${query.toString()}`, headers: { 'x-admin-secret': adminSecret } };
  };
}
