import { DEFAULT_DURATION_RANGE, type Restaurant, type Sector, type Table } from '../../domain/restaurants/restaurant.js';
import { describeWindowProblem, type LocalWindow } from '../../domain/time/serviceWindows.js';
import { AppError } from '../../errors/catalogue.js';
import type { RestaurantInput, SectorInput, TableInput } from '../contracts/setup.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { requireRestaurant } from '../lookups.js';
import { handleCommand } from '../commandHandling/handleCommand.js';
import type { DomainEvent } from '../ports/eventStore.js';
import { restaurantView, sectorView, tableView } from '../views.js';
import { restaurantLock } from './settings.js';

function checkWindows(windows: LocalWindow[] | undefined): void {
  const problem = windows ? describeWindowProblem(windows) : null;
  if (problem) throw new AppError('invalid_input', problem);
}

/** Appends an entity's first event; an entity that exists already answers 409 `already_exists`. */
export function createEntity(
  deps: Dependencies,
  caller: Caller,
  event: DomainEvent,
  label: string,
  exists: () => Promise<unknown>,
  lock?: string,
): Promise<void> {
  return handleCommand(deps, caller, {
    lock,
    decide: async () => {
      if (await exists()) throw new AppError('already_exists', `${label} already exists`);
      return { events: [event], result: undefined };
    },
  });
}

export async function registerRestaurant(deps: Dependencies, input: RestaurantInput, caller: Caller) {
  checkWindows(input.windows);
  const now = deps.clock.now();
  const restaurant: Restaurant = {
    id: input.id,
    name: input.name,
    timezone: input.timezone,
    windows: input.windows,
    durationRange: input.durationRange ?? { ...DEFAULT_DURATION_RANGE },
    durationRules: input.durationRules,
    largeGroups: input.largeGroups,
    publicBooking: input.publicBooking,
    pacing: input.pacing,
    noShowAfterMinutes: input.noShowAfterMinutes,
    createdAt: now,
    updatedAt: now,
  };
  const event = { type: 'RestaurantRegistered', data: { restaurant } } as const;
  await createEntity(deps, caller, event, `restaurant ${input.id}`, () => deps.reads.restaurant(input.id));
  return restaurantView(restaurant);
}

export async function addSector(deps: Dependencies, input: SectorInput, caller: Caller) {
  checkWindows(input.windows);
  const restaurant = await requireRestaurant(deps.reads, input.restaurantId);
  const now = deps.clock.now();
  const sector: Sector = { ...input, createdAt: now, updatedAt: now };
  const event = { type: 'SectorAdded', data: { sector } } as const;
  // Under the restaurant's lock: a restaurant update lists the sectors it changes (see `restaurantLock`).
  await createEntity(deps, caller, event, `sector ${input.id}`, () => deps.reads.sector(input.id), restaurantLock(input.restaurantId));
  return sectorView(sector, restaurant.timezone);
}

export async function addTable(deps: Dependencies, input: TableInput, caller: Caller) {
  const sector = await deps.reads.sector(input.sectorId);
  if (!sector) throw new AppError('not_found', `sector ${input.sectorId} does not exist`);
  const restaurant = await requireRestaurant(deps.reads, sector.restaurantId);
  const now = deps.clock.now();
  const table: Table = { ...input, createdAt: now, updatedAt: now };
  const event = { type: 'TableAdded', data: { table } } as const;
  await createEntity(deps, caller, event, `table ${input.id}`, () => deps.reads.table(input.id));
  return tableView(table, restaurant.timezone);
}
