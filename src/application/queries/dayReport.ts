import type { Blackout } from '../../domain/blackouts/blackout.js';
import type { Booking } from '../../domain/bookings/booking.js';
import { countDay, countWaitlist, share } from '../../domain/insight/dayCounts.js';
import { hindsightBound, type HindsightBound } from '../../domain/insight/hindsight.js';
import { hindsightRequests } from '../../domain/insight/hindsightRequests.js';
import { pacingRow } from '../../domain/insight/pacingRow.js';
import { seatUse, totalSeatUse } from '../../domain/insight/seatUtilisation.js';
import { turnFigures } from '../../domain/insight/actualStays.js';
import { pacingCap } from '../../domain/restaurants/pacing.js';
import { windowsOfSector, type Pacing, type Restaurant, type Sector, type Table } from '../../domain/restaurants/restaurant.js';
import { spanOf } from '../../domain/seating/searchWindow.js';
import type { Interval } from '../../domain/time/interval.js';
import { resolveServiceWindows } from '../../domain/time/serviceWindows.js';
import { formatInstant } from '../../domain/time/zone.js';
import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import type { DayReport, DayReportQuery } from '../contracts/reports.js';
import type { Dependencies } from '../dependencies.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { allAsOf, bookingAsOf, entryAsOf } from './stateAsOf.js';

/** What one sector's day holds, read from the projections (or, with asOf, folded from the log). */
interface SectorDayData {
  sector: Sector;
  service: Interval[];
  tables: Table[];
  bookings: Booking[];
  entries: WaitlistEntry[];
  blackouts: Blackout[];
}

async function readSectorDay(
  deps: Dependencies,
  restaurant: Restaurant,
  sector: Sector,
  date: string,
  asOf: number | undefined,
): Promise<SectorDayData> {
  const service = resolveServiceWindows(restaurant.timezone, date, windowsOfSector(restaurant, sector));
  const [tables, bookingsNow, entriesNow, blackouts] = await Promise.all([
    deps.reads.tablesOfSector(sector.id),
    deps.reads.bookingsOfDay(restaurant.id, sector.id, date),
    deps.reads.waitlistEntriesOfDay(sector.id, date),
    // Blackouts as they stand now: the read model keeps no lifted ones to fold back (see the README).
    deps.reads.blackoutsOfSector(sector.id, spanOf(service)),
  ]);
  if (asOf === undefined) return { sector, service, tables, bookings: bookingsNow, entries: entriesNow, blackouts };
  const [bookings, entries] = await Promise.all([
    allAsOf(bookingsNow, asOf, (id, at) => bookingAsOf(deps, id, at)),
    allAsOf(entriesNow, asOf, (id, at) => entryAsOf(deps, id, at)),
  ]);
  return { sector, service, tables, bookings, entries, blackouts };
}

/** The loosest of the sectors' LP outcomes speaks for their sum. */
const LOOSENESS: readonly HindsightBound['lp'][] = ['optimal', 'stopped', 'trivial'];
const looser = (a: HindsightBound['lp'], b: HindsightBound['lp']) => (LOOSENESS.indexOf(a) >= LOOSENESS.indexOf(b) ? a : b);

const capOf = (pacing: Pacing | undefined, date: string) => (pacing ? pacingCap(pacing, date, 'staff') : null);

/**
 * The day report (SPEC §10): counts, rates, turn times, seat use, waitlist and
 * pacing for the service date, and the day's seated parties against the most
 * its requests could have seated with hindsight. With `asOf`, bookings and
 * waitlist entries are as the log stood then; parties still seated count up to
 * the report instant, which is never later than now.
 */
export async function dayReport(deps: Dependencies, query: DayReportQuery): Promise<DayReport> {
  const restaurant = await requireRestaurant(deps.reads, query.restaurantId);
  const sectors =
    query.sectorId === undefined
      ? (await deps.reads.sectorsOfRestaurant(restaurant.id)).map((found) => found.sector)
      : [(await requireSectorOf(deps.reads, restaurant.id, query.sectorId)).sector];
  const now = deps.clock.now();
  const asOf = query.asOf === undefined ? undefined : Math.min(Date.parse(query.asOf), now);
  const at = asOf ?? now;
  const zone = restaurant.timezone;
  const days = await Promise.all(sectors.map((sector) => readSectorDay(deps, restaurant, sector, query.date, asOf)));

  const lines = days.map((day) => {
    const seats = seatUse({ tables: day.tables, service: day.service, blackouts: day.blackouts, bookings: day.bookings, at });
    const { achieved, requests } = hindsightRequests({
      zone,
      date: query.date,
      serviceWindows: windowsOfSector(restaurant, day.sector),
      durationRules: restaurant.durationRules,
      at,
      bookings: day.bookings,
      entries: day.entries,
    });
    return { sectorId: day.sector.id, seats, achieved, hindsight: hindsightBound(day.tables, requests) };
  });
  const hindsightOf = (parts: typeof lines) => {
    const achieved = parts.reduce((sum, line) => sum + line.achieved, 0);
    const bound = parts.reduce((sum, line) => sum + line.hindsight.bound, 0);
    return {
      achieved,
      bound,
      requests: parts.reduce((sum, line) => sum + line.hindsight.seatable, 0),
      share: share(achieved, bound),
      lp: parts.reduce<HindsightBound['lp']>((loosest, line) => looser(loosest, line.hindsight.lp), 'optimal'),
    };
  };

  const bookings = days.flatMap((day) => day.bookings);
  return {
    restaurantId: restaurant.id,
    ...(query.sectorId === undefined ? {} : { sectorId: query.sectorId }),
    date: query.date,
    at: formatInstant(zone, at),
    ...countDay(bookings),
    turnTimes: turnFigures(bookings),
    seatUtilisation: totalSeatUse(lines.map((line) => line.seats)),
    waitlist: countWaitlist(days.flatMap((day) => day.entries)),
    pacing: {
      cap: capOf(query.sectorId === undefined ? restaurant.pacing : sectors[0]!.pacing, query.date),
      intervals: pacingRow(
        zone,
        days.flatMap((day) => day.service),
        bookings,
      ).map((cell) => ({ start: formatInstant(zone, cell.start), covers: cell.covers })),
    },
    hindsight: hindsightOf(lines),
    sectors: lines.map((line) => ({
      sectorId: line.sectorId,
      seatUtilisation: totalSeatUse([line.seats]),
      hindsight: hindsightOf([line]),
    })),
  };
}
