import type { Interval } from '../../src/domain/time/interval.js';
import type { Instant } from '../../src/domain/time/zone.js';
import type { LocalWindow } from '../../src/domain/time/serviceWindows.js';
import type { TableCapacity } from '../../src/domain/seating/table.js';

/** A sector to simulate: its tables and the restaurant's service windows. */
export interface Layout {
  name: string;
  tables: readonly TableCapacity[];
  service: readonly LocalWindow[];
}

/** One guest request: what the host is asked at the phone. */
export interface Request {
  id: string;
  partySize: number;
  durationMinutes: number;
  /** Desired local start (minute of day), on the grid. */
  desiredMinute: number;
  /** Where the stay may lie: the requested window clipped to service, from `searchWindows`. */
  windows: readonly Interval[];
  /** The service window (index into the day's service intervals) the request belongs to. */
  serviceIndex: number;
  /** True when the guest cancels later in the stream if the request was accepted. */
  cancels: boolean;
}

export type DayEvent = { kind: 'request'; request: Request } | { kind: 'cancel'; requestId: string };

export interface Day {
  date: string;
  /** The day's service windows as instants, sorted. */
  service: readonly Interval[];
  requests: readonly Request[];
  /** Arrivals in random order, cancellations interleaved after their request. */
  events: readonly DayEvent[];
}

/** What a strategy decides for one request. */
export interface Seating {
  tableIds: string[];
  start: Instant;
  end: Instant;
}

export interface Booking extends Seating {
  id: string;
  partySize: number;
}

/** What a strategy sees: the request, the layout and the bookings standing now. */
export interface SeatingQuestion {
  zone: string;
  /** The day's service windows as instants. */
  service: readonly Interval[];
  tables: readonly TableCapacity[];
  request: Request;
  bookings: readonly Booking[];
}

/** What a repacking strategy sees: the standing bookings and the day's service windows. */
export interface RepackQuestion {
  tables: readonly TableCapacity[];
  bookings: readonly Booking[];
  service: readonly Interval[];
}

/** A standing booking moved to other tables, at the same times. */
export interface RepackMove {
  bookingId: string;
  tableIds: string[];
}

export interface Strategy {
  name: string;
  choose(question: SeatingQuestion): Seating | null;
  /** When `choose` finds nothing: re-seat standing bookings, after which `choose` is asked once more. */
  repack?(question: RepackQuestion): RepackMove[];
}
