import type { Booking } from '../../domain/bookings/booking.js';
import { restrictsChannels, tablesOpenTo } from '../../domain/restaurants/channels.js';
import { coversByInterval, pacingCap, startsOverCap } from '../../domain/restaurants/pacing.js';
import type { Channel, Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import type { CalendarDate } from '../../domain/time/calendarDate.js';
import type { Instant } from '../../domain/time/zone.js';
import type { ReadModel } from '../ports/readModel.js';

/** What one request may use of one sector's service day (SPEC §9): tables by channel, starts by pacing. */
export interface SeatingLimits {
  /** The tables open to the request's channel; absent: every table. */
  open?: ReadonlySet<string> | undefined;
  /** The starts among `starts` a party would take over a pacing cap; absent: no pacing applies. */
  overCap?: ((starts: readonly Instant[]) => ReadonlySet<Instant>) | undefined;
}

/** What the limits depend on, of a request. */
export interface LimitedRequest {
  partySize: number;
  /** Absent: `staff`. */
  channel?: Channel | undefined;
  pacingOverride?: boolean | undefined;
}

/** Open tables by channel, kept per tables array: a sector state's tables are one array per revision. */
const openByTables = new WeakMap<readonly Table[], Map<string, ReadonlySet<string> | undefined>>();

function openTables(sector: Sector, tables: readonly Table[], channel: Channel): ReadonlySet<string> | undefined {
  let byChannel = openByTables.get(tables);
  if (!byChannel) {
    byChannel = new Map();
    openByTables.set(tables, byChannel);
  }
  // The sector object is part of the answer: a sector updated is a new object, with the same tables array only while its revision stands.
  const key = `${channel}|${(sector.channels ?? []).join(',')}`;
  if (byChannel.has(key)) return byChannel.get(key);
  const open = restrictsChannels(sector, tables) ? new Set(tablesOpenTo(sector, tables, channel).map((table) => table.id)) : undefined;
  byChannel.set(key, open);
  return open;
}

/**
 * The limits of one request, sector day by sector day. Reads bookings only when a
 * pacing cap applies (a restaurant-wide cap: every sector's, once per date), so a
 * restaurant without pacing or channels pays nothing.
 */
export class SeatingLimiter {
  private readonly channel: Channel;
  private readonly paced: boolean;
  private readonly restaurantCovers = new Map<CalendarDate, Promise<Map<Instant, number>>>();

  constructor(
    private readonly reads: ReadModel,
    private readonly restaurant: Restaurant,
    private readonly request: LimitedRequest,
  ) {
    this.channel = request.channel ?? 'staff';
    this.paced = request.pacingOverride !== true && this.channel !== 'walk_in';
  }

  /**
   * `undefined` when nothing limits the request in that sector. Answers at once
   * (no promise, no read) unless a pacing cap applies: the hot path of a
   * restaurant without pacing stays as it was.
   */
  limitsOf(sector: Sector, tables: readonly Table[], date: CalendarDate): SeatingLimits | undefined | Promise<SeatingLimits> {
    const open = openTables(sector, tables, this.channel);
    if (!this.paced || (!this.restaurant.pacing && !sector.pacing)) return open && { open };
    return this.pacingOf(sector, date).then((overCap) => ({ open, overCap }));
  }

  private async pacingOf(sector: Sector, date: CalendarDate): Promise<NonNullable<SeatingLimits['overCap']>> {
    const zone = this.restaurant.timezone;
    const checks: { covers: Map<Instant, number>; cap: number }[] = [];
    if (this.restaurant.pacing) {
      checks.push({ covers: await this.coversOfRestaurant(date), cap: pacingCap(this.restaurant.pacing, date, this.channel) });
    }
    if (sector.pacing) {
      const bookings = await this.reads.bookingsOfDay(this.restaurant.id, sector.id, date);
      checks.push({ covers: coversByInterval(zone, bookings), cap: pacingCap(sector.pacing, date, this.channel) });
    }
    const partySize = this.request.partySize;
    return (starts) => {
      const over = new Set<Instant>();
      for (const { covers, cap } of checks) for (const start of startsOverCap(starts, zone, covers, cap, partySize)) over.add(start);
      return over;
    };
  }

  /** Covers of every sector of the restaurant on the service date. */
  private coversOfRestaurant(date: CalendarDate): Promise<Map<Instant, number>> {
    let covers = this.restaurantCovers.get(date);
    if (!covers) {
      covers = (async () => {
        const sectors = await this.reads.sectorsOfRestaurant(this.restaurant.id);
        const days = await Promise.all(sectors.map(({ sector }) => this.reads.bookingsOfDay(this.restaurant.id, sector.id, date)));
        return coversByInterval(this.restaurant.timezone, days.flat() as Booking[]);
      })();
      this.restaurantCovers.set(date, covers);
    }
    return covers;
  }
}
