import type { SeatBlock } from '../domain/availability/seatBlock.js';
import type { Table } from '../domain/restaurants/restaurant.js';
import type { Interval } from '../domain/time/interval.js';
import type { DiscoverResponse } from './contracts/bookings.js';
import type { ReadModel } from './ports/readModel.js';
import { RevisionCache } from './revisionCache.js';

/** What a sector looks like to the engine over one span. */
export interface SectorState {
  tables: Table[];
  blocks: SeatBlock[];
}

/** Per-process memos, all keyed on sector revisions: a change anywhere in the sector retires them. */
export interface ApplicationCaches {
  discover: RevisionCache<DiscoverResponse>;
  sectorState: RevisionCache<SectorState>;
}

/** Sector states kept per process: one per sector and searched span in use. */
const SECTOR_STATE_ENTRIES = 1_000;

export function createCaches(discoverEntries: number): ApplicationCaches {
  return { discover: new RevisionCache(discoverEntries), sectorState: new RevisionCache(SECTOR_STATE_ENTRIES) };
}

/**
 * The sector's tables and blocks over the span, read once per revision. A caller
 * that has just read the revision passes it, so that it is not read twice.
 */
export async function readSectorState(
  reads: ReadModel,
  cache: RevisionCache<SectorState>,
  sectorId: string,
  span: Interval,
  knownRevision?: number,
): Promise<SectorState> {
  const key = `${sectorId}|${span.start}|${span.end}`;
  // Read before the state: a change committed in between makes this entry stale at once.
  const revision = knownRevision ?? (await reads.sectorRevision(sectorId));
  const cached = cache.get(key, revision);
  if (cached) return cached;
  const [tables, blocks] = await Promise.all([reads.tablesOfSector(sectorId), reads.seatBlocks(sectorId, span)]);
  const state = { tables, blocks };
  cache.set(key, revision, state);
  return state;
}
