import type { LocalWindow } from '../time/serviceWindows.js';
import type { DurationRules } from './stayLength.js';

export interface Restaurant {
  id: string;
  name: string;
  timezone: string;
  windows?: LocalWindow[] | undefined;
  /** Allowed stay lengths; multiples of 15 (SPEC default 30–180). */
  durationRange: { min: number; max: number };
  /** Stay length by party size, used when a request gives none. */
  durationRules?: DurationRules | undefined;
  /** Parties of `threshold` or more are held PENDING for `holdMinutes` until approved. */
  largeGroups?: { threshold: number; holdMinutes: number } | undefined;
  /** Whether anyone may discover and book without signing in (default true). */
  publicBooking?: boolean | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface Sector {
  id: string;
  restaurantId: string;
  name: string;
  /** When present, replaces the restaurant's windows for this sector. */
  windows?: LocalWindow[] | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface Table {
  id: string;
  sectorId: string;
  name: string;
  minSize: number;
  maxSize: number;
  createdAt: number;
  updatedAt: number;
}

export const DEFAULT_DURATION_RANGE = { min: 30, max: 180 } as const;

/**
 * The longest stay any restaurant may allow (its `durationRange.max` and duration rules).
 * The stores bound their range reads with it: a booking that overlaps an instant
 * started less than this long before it.
 */
export const MAX_STAY_MINUTES = 24 * 60;

export function windowsOfSector(restaurant: Restaurant, sector: Sector): LocalWindow[] | undefined {
  return sector.windows && sector.windows.length > 0 ? sector.windows : restaurant.windows;
}

export type SetupEvent =
  | { type: 'RestaurantRegistered'; data: { restaurant: Restaurant } }
  | { type: 'SectorAdded'; data: { sector: Sector } }
  | { type: 'TableAdded'; data: { table: Table } };
