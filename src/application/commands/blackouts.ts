import type { Blackout } from '../../domain/blackouts/blackout.js';
import { evolveBlackout, isBlackoutEvent } from '../../domain/blackouts/blackout.js';
import { decideLift, decidePlace, decideResize, type InTheWay } from '../../domain/blackouts/blackoutDecisions.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { DomainEvent } from '../ports/eventStore.js';
import { overlaps, type Interval } from '../../domain/time/interval.js';
import { AppError } from '../../errors/catalogue.js';
import { handleCommand, sectorLock, type VersionedState } from '../commandHandling/handleCommand.js';
import type { BlackoutInput, BlackoutResize, BlackoutView } from '../contracts/blackouts.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireSectorOf } from '../lookups.js';
import { blackoutView } from '../views.js';

/** What holds `tableIds` of the sector during `span`, besides the blackout `self`; bookings read at their versions. */
async function inTheWay(
  deps: Dependencies,
  state: VersionedState,
  sectorId: string,
  tableIds: readonly string[],
  span: Interval,
  self: string,
): Promise<InTheWay> {
  const blocks = (await deps.reads.seatBlocks(sectorId, span)).filter(
    (block) => tableIds.includes(block.tableId) && overlaps(block, span) && !(block.source.kind === 'blackout' && block.source.id === self),
  );
  const bookingIds = [...new Set(blocks.filter((b) => b.source.kind === 'booking').map((b) => b.source.id))];
  const bookings = (await Promise.all(bookingIds.map((id) => state.booking(id)))).filter((b): b is Booking => b !== null);
  const blackoutIds = [...new Set(blocks.filter((b) => b.source.kind === 'blackout').map((b) => b.source.id))];
  return { bookings, blackoutIds };
}

/** The blackout as the decided events leave it, and the bookings they cancel. */
function outcomeOf(before: Blackout | null, events: readonly DomainEvent[]): { blackout: Blackout; cancelled: string[] } {
  let blackout = before;
  const cancelled: string[] = [];
  for (const event of events) {
    if (isBlackoutEvent(event)) blackout = evolveBlackout(blackout, event);
    else if (event.type === 'BookingCancelled') cancelled.push(event.data.bookingId);
  }
  return { blackout: blackout!, cancelled };
}

const view = (zone: string, { blackout, cancelled }: { blackout: Blackout; cancelled: string[] }): BlackoutView => ({
  ...blackoutView(blackout, zone),
  ...(cancelled.length > 0 ? { cancelledBookingIds: cancelled } : {}),
});

const sectorKeptChanging = () => new AppError('unavailable', 'the sector kept changing; retry');

export async function placeBlackout(deps: Dependencies, input: BlackoutInput, caller: Caller): Promise<BlackoutView> {
  const { restaurant, sector } = await requireSectorOf(deps.reads, input.restaurantId, input.sectorId);
  const sectorTables = (await deps.reads.tablesOfSector(sector.id)).map((table) => table.id).sort();
  const unknown = (input.tableIds ?? []).filter((id) => !sectorTables.includes(id));
  if (unknown.length > 0) throw new AppError('not_found', `table(s) ${unknown.join(', ')} are not in sector ${sector.id}`);
  const tableIds = input.tableIds ? [...new Set(input.tableIds)].sort() : sectorTables;
  const span = { start: Date.parse(input.start), end: Date.parse(input.end) };

  return handleCommand(deps, caller, {
    lock: sectorLock(sector.id),
    decide: async (state, now) => {
      const existing = await state.blackout(input.id);
      const blackout = {
        id: input.id,
        restaurantId: restaurant.id,
        sectorId: sector.id,
        tableIds,
        wholeSector: input.tableIds === undefined,
        ...span,
        reason: input.reason,
      };
      const events = decidePlace(
        { blackout, cancelConflicting: input.cancelConflicting, now },
        existing,
        await inTheWay(deps, state, sector.id, tableIds, span, input.id),
      );
      return { events, result: view(restaurant.timezone, outcomeOf(null, events)) };
    },
    exhausted: sectorKeptChanging,
  });
}

/** Changes an existing blackout under its sector's lock. */
async function changeBlackout(
  deps: Dependencies,
  id: string,
  caller: Caller,
  decide: (blackout: Blackout, state: VersionedState, now: number) => Promise<DomainEvent[]>,
): Promise<BlackoutView> {
  const first = await deps.reads.blackout(id);
  if (!first) throw new AppError('not_found', `blackout ${id} does not exist`);
  const { restaurant } = await requireSectorOf(deps.reads, first.value.restaurantId, first.value.sectorId);
  return handleCommand(deps, caller, {
    lock: sectorLock(first.value.sectorId),
    decide: async (state, now) => {
      const blackout = (await state.blackout(id))!;
      const events = await decide(blackout, state, now);
      return { events, result: view(restaurant.timezone, outcomeOf(blackout, events)) };
    },
    exhausted: sectorKeptChanging,
  });
}

/** New bounds; seats it gives up free at once, seats it takes follow the same rules as placing. */
export function resizeBlackout(deps: Dependencies, id: string, input: BlackoutResize, caller: Caller): Promise<BlackoutView> {
  const span = { start: Date.parse(input.start), end: Date.parse(input.end) };
  return changeBlackout(deps, id, caller, async (blackout, state, now) =>
    decideResize(blackout, span, input.cancelConflicting, await inTheWay(deps, state, blackout.sectorId, blackout.tableIds, span, id), now),
  );
}

/** Frees the seats at once; lifting a lifted blackout changes nothing. */
export async function liftBlackout(deps: Dependencies, id: string, caller: Caller): Promise<void> {
  await changeBlackout(deps, id, caller, async (blackout, _state, now) => decideLift(blackout, now));
}
