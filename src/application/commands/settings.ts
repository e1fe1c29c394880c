import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import { AppError } from '../../errors/catalogue.js';
import { handleCommand, sectorLock, type VersionedState } from '../commandHandling/handleCommand.js';
import type { RestaurantPatch, SectorPatch, TablePatch } from '../contracts/settings.js';
import type { Caller, Dependencies } from '../dependencies.js';
import { streams } from '../ports/eventStore.js';
import { requireRestaurant } from '../lookups.js';
import { restaurantView, sectorView, tableView } from '../views.js';

/**
 * Managers' settings (SPEC §9): pacing, channels, the no-show grace. Each change
 * appends one event carrying the whole entity as it now is, expecting the entity's
 * stream where it was read (every setup event carries its entity whole, so the last
 * one is the entity), and moves the revision of the sectors whose availability it
 * changes, so that no cached answer outlives it.
 */

/** The restaurant's writers of settings and sectors queue on one lock, so a new sector is never missed by a restaurant update. */
export const restaurantLock = (id: string) => `restaurant|${id}`;

/** The entity as the last event of its stream carries it, or 404. */
async function current<T>(
  state: VersionedState,
  stream: string,
  pick: (data: Record<string, unknown>) => unknown,
  label: string,
): Promise<T> {
  const last = (await state.stream(stream)).at(-1);
  const entity = last && pick(last.data as Record<string, unknown>);
  if (!entity) throw new AppError('not_found', `${label} does not exist`);
  return structuredClone(entity) as T;
}

/** `value` set, or the field dropped when `null`; untouched when `undefined`. */
function patched<E extends object, K extends keyof E>(entity: E, field: K, value: E[K] | null | undefined): void {
  if (value === undefined) return;
  if (value === null) delete entity[field];
  else entity[field] = value;
}

export async function updateRestaurant(deps: Dependencies, id: string, patch: RestaurantPatch, caller: Caller) {
  const restaurant = await handleCommand(deps, caller, {
    lock: restaurantLock(id),
    decide: async (state, now) => {
      const next = await current<Restaurant>(state, streams.restaurant(id), (data) => data.restaurant, `restaurant ${id}`);
      patched(next, 'pacing', patch.pacing);
      patched(next, 'noShowAfterMinutes', patch.noShowAfterMinutes);
      next.updatedAt = now;
      // Restaurant-wide pacing changes every sector's availability.
      const sectorIds = (await deps.reads.sectorsOfRestaurant(id)).map(({ sector }) => sector.id);
      return { events: [{ type: 'RestaurantUpdated', data: { restaurant: next, sectorIds } }], result: next };
    },
  });
  return restaurantView(restaurant);
}

export async function updateSector(deps: Dependencies, id: string, patch: SectorPatch, caller: Caller) {
  const sector = await handleCommand(deps, caller, {
    lock: sectorLock(id),
    decide: async (state, now) => {
      const next = await current<Sector>(state, streams.sector(id), (data) => data.sector, `sector ${id}`);
      patched(next, 'pacing', patch.pacing);
      patched(next, 'channels', patch.channels);
      next.updatedAt = now;
      return { events: [{ type: 'SectorUpdated', data: { sector: next } }], result: next };
    },
  });
  return sectorView(sector, (await requireRestaurant(deps.reads, sector.restaurantId)).timezone);
}

export async function updateTable(deps: Dependencies, id: string, patch: TablePatch, caller: Caller) {
  const table = await handleCommand(deps, caller, {
    decide: async (state, now) => {
      const next = await current<Table>(state, streams.table(id), (data) => data.table, `table ${id}`);
      patched(next, 'channels', patch.channels);
      next.updatedAt = now;
      return { events: [{ type: 'TableUpdated', data: { table: next } }], result: next };
    },
  });
  const sector = await deps.reads.sector(table.sectorId);
  return tableView(table, (await requireRestaurant(deps.reads, sector!.restaurantId)).timezone);
}
