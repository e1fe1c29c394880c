import type { Booking } from '../../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import type { Interval } from '../../domain/time/interval.js';

export interface Versioned<T> {
  value: T;
  version: number;
}

/** Projections of the event log, as the use cases query them. */
export interface ReadModel {
  restaurant(id: string): Promise<Restaurant | null>;
  sector(id: string): Promise<Sector | null>;
  tablesOfSector(sectorId: string): Promise<Table[]>;
  table(id: string): Promise<Table | null>;
  booking(id: string): Promise<Versioned<Booking> | null>;
  bookingsOfDay(restaurantId: string, sectorId: string, date: string): Promise<Booking[]>;
  /** Seat-taking bookings of the sector that overlap the span. */
  seatTakingBookings(sectorId: string, span: Interval): Promise<Booking[]>;
  counts(): Promise<{ restaurants: number; sectors: number; tables: number; bookings: number }>;
}
