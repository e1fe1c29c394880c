import type { LocalWindow } from '../time/serviceWindows.js';
import type { CalendarDate } from '../time/calendarDate.js';
import type { DurationRules } from './stayLength.js';

/** Who a seat is sold through: the public (anonymous callers, guests, API keys), the house's staff, or a party walking in. */
export const CHANNELS = ['online', 'staff', 'walk_in'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * How many covers may start in one 15-minute interval (SPEC §9): the kitchen's pace.
 * Online bookings may have a smaller cap; a date may have its own.
 */
export interface Pacing {
  maxCoversPerInterval: number;
  onlineMaxCoversPerInterval?: number | undefined;
  overrides?: { date: CalendarDate; maxCoversPerInterval: number }[] | undefined;
}

/** How long after its start an unseated CONFIRMED booking becomes a no-show, unless the restaurant says otherwise. */
export const DEFAULT_NO_SHOW_AFTER_MINUTES = 15;

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
  /** Minutes after its start an unseated booking is marked NO_SHOW by the sweeper (1–240, default 15). */
  noShowAfterMinutes?: number | undefined;
  /** Covers per interval across every sector. */
  pacing?: Pacing | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface Sector {
  id: string;
  restaurantId: string;
  name: string;
  /** When present, replaces the restaurant's windows for this sector. */
  windows?: LocalWindow[] | undefined;
  /** Covers per interval in this sector. */
  pacing?: Pacing | undefined;
  /** The channels its tables are open to, unless a table says otherwise (default all three). */
  channels?: Channel[] | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface Table {
  id: string;
  sectorId: string;
  name: string;
  minSize: number;
  maxSize: number;
  /** The channels it is open to; absent: its sector's, or all three. */
  channels?: Channel[] | undefined;
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
  | { type: 'TableAdded'; data: { table: Table } }
  /** Settings changed (pacing, no-show grace): the whole restaurant as it now is, and its sectors then, whose availability it changes. */
  | { type: 'RestaurantUpdated'; data: { restaurant: Restaurant; sectorIds: string[] } }
  /** Settings changed (pacing, channels): the whole sector as it now is. */
  | { type: 'SectorUpdated'; data: { sector: Sector } }
  /** Settings changed (channels): the whole table as it now is. */
  | { type: 'TableUpdated'; data: { table: Table } };
