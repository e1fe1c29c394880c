import { formatLocalTime } from '../../domain/time/localTime.js';
import { decideWalkIn } from '../../domain/bookings/floorDecisions.js';
import { tablesOpenTo } from '../../domain/restaurants/channels.js';
import { windowsOfSector, type Restaurant, type Sector } from '../../domain/restaurants/restaurant.js';
import { seatingDay, type Candidate } from '../../domain/seating/discoverSeatings.js';
import { planWalkIn, WAIT_HORIZON_MS, type WalkInPlan } from '../../domain/seating/walkInSeating.js';
import { serviceAt, type ServiceAt } from '../../domain/time/serviceAt.js';
import { formatInstant, localPartsOf } from '../../domain/time/zone.js';
import { AppError } from '../../errors/catalogue.js';
import { handleCommand, sectorLock } from '../commandHandling/handleCommand.js';
import type { WalkInInput, WalkInView } from '../contracts/floor.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant, requireSectorOf } from '../lookups.js';
import { stayLength, withLearnedStay } from '../queries/planSeating.js';
import { bookingView } from '../views.js';

const MINUTE_MS = 60_000;

interface SectorPlan {
  sector: Sector;
  service: ServiceAt;
  plan: WalkInPlan;
}

/**
 * Seats a party without a booking now, on tables open to walk-ins, in the sector
 * named or the best of the restaurant's sectors open now. Its stay starts at the
 * current minute, off the grid, and comes from the duration rules unless given.
 * Nothing free for the whole stay: with `allowShort` the party sits until the next
 * booking on its tables; otherwise 409 `no_capacity` with `nextFreeAt`.
 */
export async function seatWalkIn(deps: Dependencies, input: WalkInInput, caller: Caller): Promise<WalkInView> {
  const restaurant = await requireRestaurant(deps.reads, input.restaurantId);
  const sectors =
    input.sectorId === undefined
      ? (await deps.reads.sectorsOfRestaurant(restaurant.id)).map(({ sector }) => sector)
      : [(await requireSectorOf(deps.reads, restaurant.id, input.sectorId)).sector];
  // A walk-in's service is the one open now: its learned stay is that of now's weekday and service.
  const here = localPartsOf(restaurant.timezone, deps.clock.now());
  const asked = { ...input, date: here.date, windowStart: formatLocalTime(here.minute) };
  const durationMinutes = stayLength(
    restaurant,
    await withLearnedStay(
      deps.reads,
      deps.caches,
      restaurant,
      sectors.map((sector) => ({ sector })),
      asked,
    ),
  );
  const { booking, short } = await handleCommand(deps, caller, {
    lock: sectors.length === 1 ? sectorLock(sectors[0]!.id) : undefined,
    decide: async (_state, now) => {
      const start = Math.ceil(now / MINUTE_MS) * MINUTE_MS;
      const plans = await Promise.all(
        sectors.map((sector) => planInSector(deps, restaurant, sector, { ...input, durationMinutes, start })),
      );
      const open = plans.filter((plan): plan is SectorPlan => plan !== null);
      if (open.length === 0) throw new AppError('outside_service_window', `restaurant ${restaurant.id} is not in service now`);
      const chosen = pick(open, 'full') ?? (input.allowShort ? pick(open, 'short') : undefined);
      if (!chosen) throw refusal(restaurant, input.partySize, open);
      const event = decideWalkIn(
        {
          bookingId: deps.ids.bookingId(),
          restaurantId: restaurant.id,
          sectorId: chosen.sector.id,
          date: chosen.service.date,
          partySize: input.partySize,
          now,
        },
        chosen.seating,
      );
      return { events: [event], result: { booking: event.data.booking, short: chosen.plan.kind === 'short' } };
    },
    exhausted: () => new AppError('no_capacity', 'the tables were taken while the walk-in was being seated; try again'),
  });
  const view: WalkInView = bookingView(booking, restaurant.timezone);
  if (short) view.short = true;
  return view;
}

/** The sector's plan for the walk-in, or `null` when the sector is not in service now. */
async function planInSector(
  deps: Dependencies,
  restaurant: Restaurant,
  sector: Sector,
  search: { partySize: number; durationMinutes: number; start: number; allowShort?: boolean | undefined },
): Promise<SectorPlan | null> {
  const service = serviceAt(restaurant.timezone, windowsOfSector(restaurant, sector), search.start);
  if (!service) return null;
  const span = { start: search.start, end: search.start + WAIT_HORIZON_MS + search.durationMinutes * MINUTE_MS };
  const [tables, blocks] = await Promise.all([deps.reads.tablesOfSector(sector.id), deps.reads.seatBlocks(sector.id, span)]);
  const day = seatingDay([span], tablesOpenTo(sector, tables, 'walk_in'), blocks);
  const plan = planWalkIn(day, { zone: restaurant.timezone, ...search, allowShort: search.allowShort === true });
  return { sector, service, plan };
}

/** The best seating of that kind across sectors: fewest tables, then least capacity, then sector id. */
function pick(plans: readonly SectorPlan[], kind: 'full' | 'short'): (SectorPlan & { seating: Candidate }) | undefined {
  const seated = plans.flatMap((plan) => (plan.plan.kind === kind ? [{ ...plan, seating: plan.plan.seating }] : []));
  seated.sort(
    (a, b) =>
      a.seating.tableIds.length - b.seating.tableIds.length ||
      a.seating.capacity.max - b.seating.capacity.max ||
      (a.sector.id < b.sector.id ? -1 : 1),
  );
  return seated[0];
}

/** 409 `no_capacity`, with the soonest instant any sector could seat the whole stay (`null`: none within the horizon). */
function refusal(restaurant: Restaurant, partySize: number, plans: readonly SectorPlan[]): AppError {
  const soonest = plans
    .map(({ plan }) => (plan.kind === 'none' ? plan.nextFreeAt : null))
    .filter((at): at is number => at !== null)
    .sort((a, b) => a - b)[0];
  const nextFreeAt = soonest === undefined ? null : formatInstant(restaurant.timezone, soonest);
  const detail =
    nextFreeAt === null
      ? `no table open to walk-ins seats ${partySize} now, nor within the next ${WAIT_HORIZON_MS / 3_600_000} hours`
      : `no table open to walk-ins seats ${partySize} for the whole stay now; the soonest is ${nextFreeAt}`;
  return new AppError('no_capacity', detail, { nextFreeAt });
}
