import type { Blackout, BlackoutEvent } from '../../domain/blackouts/blackout.js';
import { decideCancel } from '../../domain/bookings/bookingEvents.js';
import { overlaps, type Interval } from '../../domain/time/interval.js';
import { AppError } from '../../errors/catalogue.js';
import type { BlackoutInput, BlackoutResize, BlackoutView } from '../contracts/blackouts.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireSectorOf } from '../lookups.js';
import { SeatConflict, StreamVersionConflict, streams, type PendingEvent } from '../ports/eventStore.js';
import { blackoutView } from '../views.js';
import { promoteAfterRelease } from './waitlist.js';

/** A booking that slipped in between the check and the write is met on the next try. */
const ATTEMPTS = 3;

interface Placement {
  sectorId: string;
  tableIds: readonly string[];
  span: Interval;
  /** The blackout being resized, whose own seats are no obstacle. */
  self?: string;
  cancelConflicting: boolean;
}

/**
 * The events that make room for a blackout: cancellations of the bookings in its
 * way when the caller asked for them. Other blackouts in the way, or bookings
 * without that request, answer 409 `seats_taken` listing them.
 */
async function clearTheWay(deps: Dependencies, placement: Placement, at: number): Promise<{ events: PendingEvent[]; cancelled: string[] }> {
  const blocks = (await deps.reads.seatBlocks(placement.sectorId, placement.span)).filter(
    (block) => placement.tableIds.includes(block.tableId) && overlaps(block, placement.span) && block.source.id !== placement.self,
  );
  const bookings = [...new Set(blocks.filter((b) => b.source.kind === 'booking').map((b) => b.source.id))].sort();
  const blackouts = [...new Set(blocks.filter((b) => b.source.kind === 'blackout').map((b) => b.source.id))].sort();
  if (blackouts.length > 0 || (bookings.length > 0 && !placement.cancelConflicting)) {
    throw new AppError(
      'seats_taken',
      `${bookings.length} booking(s) and ${blackouts.length} blackout(s) hold those tables then` +
        (bookings.length > 0 && blackouts.length === 0 ? '; send cancelConflicting: true to cancel the bookings' : ''),
      { bookings, blackouts },
    );
  }
  const events: PendingEvent[] = [];
  for (const id of bookings) {
    const found = (await deps.reads.booking(id))!;
    for (const event of decideCancel(found.value, at)) events.push({ stream: streams.booking(id), expectedVersion: found.version, event });
  }
  return { events, cancelled: bookings };
}

async function withRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const lostRace = error instanceof SeatConflict || error instanceof StreamVersionConflict;
      if (!lostRace || attempt >= ATTEMPTS) throw lostRace ? new AppError('unavailable', 'the sector kept changing; retry') : error;
    }
  }
}

export async function placeBlackout(deps: Dependencies, input: BlackoutInput, caller: Caller): Promise<BlackoutView> {
  const { restaurant, sector } = await requireSectorOf(deps.reads, input.restaurantId, input.sectorId);
  const sectorTables = (await deps.reads.tablesOfSector(sector.id)).map((table) => table.id).sort();
  const unknown = (input.tableIds ?? []).filter((id) => !sectorTables.includes(id));
  if (unknown.length > 0) throw new AppError('not_found', `table(s) ${unknown.join(', ')} are not in sector ${sector.id}`);
  const tableIds = input.tableIds ? [...new Set(input.tableIds)].sort() : sectorTables;
  const span = { start: Date.parse(input.start), end: Date.parse(input.end) };

  return deps.locks.withLock(`sector|${sector.id}`, () =>
    withRetries(async () => {
      if (await deps.reads.blackout(input.id)) throw new AppError('already_exists', `blackout ${input.id} already exists`);
      const now = deps.clock.now();
      const { events, cancelled } = await clearTheWay(
        deps,
        { sectorId: sector.id, tableIds, span, cancelConflicting: input.cancelConflicting },
        now,
      );
      const blackout: Blackout = {
        id: input.id,
        restaurantId: restaurant.id,
        sectorId: sector.id,
        tableIds,
        wholeSector: input.tableIds === undefined,
        ...span,
        reason: input.reason,
        status: 'ACTIVE',
        createdAt: now,
        updatedAt: now,
      };
      events.push({ stream: streams.blackout(input.id), expectedVersion: 'none', event: { type: 'BlackoutPlaced', data: { blackout } } });
      await deps.events.append(events, { actor: caller.actor, requestId: caller.requestId }, now);
      return { ...blackoutView(blackout, restaurant.timezone), ...(cancelled.length > 0 ? { cancelledBookingIds: cancelled } : {}) };
    }),
  );
}

async function changeBlackout(
  deps: Dependencies,
  id: string,
  caller: Caller,
  decide: (
    blackout: Blackout,
    at: number,
  ) => { event: BlackoutEvent; placement?: Omit<Placement, 'sectorId' | 'tableIds' | 'self'> } | null,
): Promise<{ blackout: Blackout; cancelled: string[] }> {
  const first = await deps.reads.blackout(id);
  if (!first) throw new AppError('not_found', `blackout ${id} does not exist`);
  return deps.locks.withLock(`sector|${first.value.sectorId}`, () =>
    withRetries(async () => {
      const found = (await deps.reads.blackout(id))!;
      const now = Math.max(deps.clock.now(), found.value.updatedAt + 1);
      const decision = decide(found.value, now);
      if (!decision) return { blackout: found.value, cancelled: [] };
      const cleared = decision.placement
        ? await clearTheWay(deps, { ...decision.placement, sectorId: found.value.sectorId, tableIds: found.value.tableIds, self: id }, now)
        : { events: [], cancelled: [] };
      const events = [...cleared.events, { stream: streams.blackout(id), expectedVersion: found.version, event: decision.event }];
      await deps.events.append(events, { actor: caller.actor, requestId: caller.requestId }, now);
      return { blackout: (await deps.reads.blackout(id))!.value, cancelled: cleared.cancelled };
    }),
  );
}

/** New bounds; seats it gives up free at once, seats it takes follow the same rules as placing. */
export async function resizeBlackout(deps: Dependencies, id: string, input: BlackoutResize, caller: Caller): Promise<BlackoutView> {
  const span = { start: Date.parse(input.start), end: Date.parse(input.end) };
  const { blackout, cancelled } = await changeBlackout(deps, id, caller, (current, at) => {
    if (current.status !== 'ACTIVE') throw new AppError('not_found', `blackout ${id} was lifted`);
    return {
      event: { type: 'BlackoutResized', data: { blackoutId: id, ...span, at } },
      placement: { span, cancelConflicting: input.cancelConflicting },
    };
  });
  await promoteAfterRelease(deps, blackout.sectorId);
  const zone = (await deps.reads.restaurant(blackout.restaurantId))!.timezone;
  return { ...blackoutView(blackout, zone), ...(cancelled.length > 0 ? { cancelledBookingIds: cancelled } : {}) };
}

/** Frees the seats at once; lifting a lifted blackout changes nothing. */
export async function liftBlackout(deps: Dependencies, id: string, caller: Caller): Promise<void> {
  const { blackout } = await changeBlackout(deps, id, caller, (current, at) =>
    current.status === 'ACTIVE' ? { event: { type: 'BlackoutLifted', data: { blackoutId: id, at } } } : null,
  );
  await promoteAfterRelease(deps, blackout.sectorId);
}
