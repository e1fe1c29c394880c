import { awaitsParty } from '../../domain/bookings/booking.js';
import { windowsOfSector } from '../../domain/restaurants/restaurant.js';
import { repackDay } from '../../domain/seating/repack.js';
import { spanOf } from '../../domain/seating/searchWindow.js';
import { resolveServiceWindows } from '../../domain/time/serviceWindows.js';
import { AppError } from '../../errors/catalogue.js';
import type { RepackQuery, RepackReport } from '../contracts/repack.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { handleCommand, sectorLock } from '../commandHandling/handleCommand.js';
import { decideReassign } from '../../domain/bookings/bookingDecisions.js';
import type { BookingReassigned } from '../../domain/bookings/bookingEvents.js';
const MINUTE_MS = 60_000;

/**
 * Re-assigns the day's tables to cut seat waste and join free time, never moving
 * a booking in time. The plan is made and written under the sector lock, in one
 * append, so the store judges the seats as the whole repack leaves them.
 */
export async function repackSector(deps: Dependencies, sectorId: string, query: RepackQuery, caller: Caller): Promise<RepackReport> {
  const sector = await deps.reads.sector(sectorId);
  if (!sector) throw new AppError('not_found', `sector ${sectorId} does not exist`);
  const restaurant = await requireRestaurant(deps.reads, sector.restaurantId);
  const windows = resolveServiceWindows(restaurant.timezone, query.date, windowsOfSector(restaurant, sector));

  const plan = async () => {
    const bookings = (await deps.reads.bookingsOfDay(restaurant.id, sector.id, query.date)).filter((b) => awaitsParty(b.status));
    const own = new Set(bookings.map((booking) => booking.id));
    const span = spanOf([...windows, ...bookings]);
    const [tables, blocks] = await Promise.all([deps.reads.tablesOfSector(sector.id), deps.reads.seatBlocks(sector.id, span)]);
    // What is not the day's movable bookings stays where it is: blackouts, seated parties, the neighbouring days' late bookings.
    const fixedBlocks = blocks.filter((block) => !(block.source.kind === 'booking' && own.has(block.source.id)));
    const result = repackDay({ tables, bookings, fixedBlocks, windows });
    const report: RepackReport = {
      sectorId: sector.id,
      date: query.date,
      dryRun: query.dryRun,
      wasteBefore: result.wasteBefore,
      wasteAfter: result.wasteAfter,
      largestGapBeforeMinutes: result.largestGapBefore / MINUTE_MS,
      largestGapAfterMinutes: result.largestGapAfter / MINUTE_MS,
      moves: result.assignments.map(({ bookingId, from, to }) => ({ bookingId, from, to })),
    };
    return report;
  };

  if (query.dryRun) return plan();
  return handleCommand(deps, caller, {
    lock: sectorLock(sector.id),
    decide: async (state, now) => {
      const report = await plan();
      const events: BookingReassigned[] = [];
      for (const move of report.moves) events.push(...decideReassign((await state.booking(move.bookingId))!, move.to, now));
      return { events, result: report };
    },
    exhausted: () => new AppError('unavailable', `sector ${sector.id} kept changing during the repack; retry`),
  });
}
