import { emptyStartSet, isEmptySet } from '../availability/startSet.js';
import type { Instant } from '../time/zone.js';
import type { SearchTable } from './combinationSearch.js';
import type { StayGrid } from './discoverSeatings.js';

/** What a request may not use of a grid: tables closed to its channel, starts over a pacing cap. */
export interface GridRestriction {
  /** The tables that may be used; absent: every table. */
  tables?: ReadonlySet<string> | undefined;
  /** Starts that may not be used; absent: none. */
  closedStarts?: ReadonlySet<Instant> | undefined;
}

/**
 * The grid without the tables not kept and with the closed starts cleared from
 * every table's free set. The starts themselves stay, so scores and rationales
 * ("the first start in the window") read as on the whole grid. Pure; the grid
 * given is never changed (it may be a cached one), and comes back as it is when
 * the restriction takes nothing away.
 */
export function restrictGrid(grid: StayGrid, restriction: GridRestriction): StayGrid {
  const { tables: keep, closedStarts } = restriction;
  let closed: Uint32Array | undefined;
  if (closedStarts && closedStarts.size > 0) {
    grid.starts.forEach((start, i) => {
      if (!closedStarts.has(start)) return;
      closed ??= emptyStartSet(grid.starts.length);
      closed[i >>> 5]! |= 1 << (i & 31);
    });
  }
  const kept = keep ? grid.tables.filter((table) => keep.has(table.id)) : grid.tables;
  if (!closed && kept.length === grid.tables.length) return grid;
  const mask = closed;
  const tables = mask
    ? kept
        .map((table): SearchTable => {
          const free = table.free.slice();
          for (let w = 0; w < free.length; w++) free[w]! &= ~mask[w]!;
          return { ...table, free };
        })
        .filter((table) => !isEmptySet(table.free))
    : kept;
  return { starts: grid.starts, durationMs: grid.durationMs, tables };
}
