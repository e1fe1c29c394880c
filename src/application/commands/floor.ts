import { occupancyOf, type Booking } from '../../domain/bookings/booking.js';
import { evolveBooking, type FloorStep } from '../../domain/bookings/bookingEvents.js';
import { decideAutomaticNoShow, decideFinish, decideNoShow, decideSeat, decideUndo } from '../../domain/bookings/floorDecisions.js';
import { windowsOfSector } from '../../domain/restaurants/restaurant.js';
import { overlaps } from '../../domain/time/interval.js';
import { serviceOf } from '../../domain/time/serviceAt.js';
import { AppError } from '../../errors/catalogue.js';
import { handleCommand, sectorLock, type VersionedState } from '../commandHandling/handleCommand.js';
import type { BookingView } from '../contracts/bookings.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { bookingView } from '../views.js';
import { SWEEP_BATCH, sweepDue } from './sweepDue.js';

/** One floor step on one booking: what it decides from the booking as it stands now. */
type Step = (booking: Booking, now: number) => Promise<FloorStep> | FloorStep;

/**
 * Decides the step on the booking as it stands and appends it at the version
 * read. `known` is the booking as the caller's access check read it: its sector,
 * which never changes, names the lock. A step
 * that keeps tables for longer (an early seat, an extended stay, an undo) is
 * checked against what holds those tables now, for a clear 409 `seats_taken`;
 * the store refuses the overlap anyway if a write slips in between.
 */
async function takeStep(deps: Dependencies, known: Booking, caller: Caller, step: Step): Promise<BookingView> {
  const id = known.id;
  const booking = await handleCommand(deps, caller, {
    lock: sectorLock(known.sectorId),
    decide: async (state: VersionedState, now) => {
      const current = await state.booking(id);
      if (!current) throw new AppError('not_found', `booking ${id} does not exist`);
      const event = await step(current, now);
      const next = evolveBooking(current, event)!;
      await requireFreeFor(deps, current, next);
      return { events: [event], result: next };
    },
    exhausted: () => new AppError('seats_taken', `the tables of booking ${id} are taken for that time`),
  });
  return bookingView(booking, (await requireRestaurant(deps.reads, booking.restaurantId)).timezone);
}

/** Refuses a step whose new occupancy reaches over what another booking or a blackout holds now. */
async function requireFreeFor(deps: Dependencies, before: Booking, after: Booking): Promise<void> {
  const was = occupancyOf(before);
  const will = occupancyOf(after);
  if (!will || (was && was.start <= will.start && will.end <= was.end)) return;
  const tables = new Set(after.tableIds);
  const blocks = await deps.reads.seatBlocks(after.sectorId, will);
  const inTheWay = blocks.filter((block) => tables.has(block.tableId) && block.source.id !== after.id && overlaps(block, will));
  if (inTheWay.length > 0) {
    const held = (kind: 'booking' | 'blackout') =>
      [...new Set(inTheWay.filter((b) => b.source.kind === kind).map((b) => b.source.id))].sort();
    throw new AppError('seats_taken', `tables of booking ${after.id} are held by others in that time`, {
      bookings: held('booking'),
      blackouts: held('blackout'),
    });
  }
}

export function seatBooking(deps: Dependencies, booking: Booking, options: { extend?: boolean | undefined }, caller: Caller) {
  return takeStep(deps, booking, caller, (booking, now) => decideSeat(booking, now, options.extend === true));
}

export function finishBooking(deps: Dependencies, booking: Booking, caller: Caller) {
  return takeStep(deps, booking, caller, decideFinish);
}

export function markNoShow(deps: Dependencies, booking: Booking, caller: Caller) {
  return takeStep(deps, booking, caller, decideNoShow);
}

/** Undoes the last floor step while the booking's service lasts (its window's end; the booked end outside any window). */
export function undoStep(deps: Dependencies, booking: Booking, caller: Caller) {
  return takeStep(deps, booking, caller, async (booking, now) => {
    const restaurant = await requireRestaurant(deps.reads, booking.restaurantId);
    const sector = await deps.reads.sector(booking.sectorId);
    const windows = sector ? windowsOfSector(restaurant, sector) : restaurant.windows;
    const service = serviceOf(restaurant.timezone, windows, booking.date, booking.start);
    return decideUndo(booking, now, Math.max(service?.end ?? booking.end, booking.end));
  });
}

/** Marks a no-show every CONFIRMED booking still unseated when its grace ran out (see `sweepDue`). */
export async function markDueNoShows(deps: Dependencies): Promise<number> {
  return sweepDue(deps, await deps.reads.dueNoShows(deps.clock.now(), SWEEP_BATCH), decideAutomaticNoShow);
}
