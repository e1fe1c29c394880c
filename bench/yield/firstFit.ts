import { freeGaps } from '../../src/domain/availability/freeGaps.js';
import { groupBlocksByTable, blocksOfBookings } from '../../src/domain/availability/seatBlock.js';
import {
  emptyStartSet,
  gridStarts,
  intersectInto,
  isEmptySet,
  startsInsideGaps,
  type StartSet,
} from '../../src/domain/availability/startSet.js';
import { SLOT_MINUTES } from '../../src/domain/time/localTime.js';
import type { TableCapacity } from '../../src/domain/seating/table.js';
import type { Seating, SeatingQuestion, Strategy } from './model.js';

const MINUTE_MS = 60_000;
/** Nodes the combination scan may visit before it gives up (counted in `firstFitGaveUp`). */
const NODE_BUDGET = 200_000;

interface FreeTable extends TableCapacity {
  free: StartSet;
}

export const firstFitStats = { gaveUp: 0 };

function earliest(set: StartSet): number {
  for (let w = 0; w < set.length; w++) {
    const word = set[w]!;
    if (word !== 0) return w * 32 + 31 - Math.clz32(word & -word);
  }
  throw new Error('empty start set');
}

/**
 * A host with no plan: the first table in id order that seats the party, at its
 * earliest free start; failing that, the first set of tables met by scanning ids
 * in order (depth first) whose Σmin ≤ party ≤ Σmax and which share a free start.
 * A set is only grown while Σmax is short of the party.
 */
function firstFitSeating(question: SeatingQuestion): Seating | null {
  const { partySize, durationMinutes, windows } = question.request;
  const durationMs = durationMinutes * MINUTE_MS;
  const starts = gridStarts(windows, durationMs, SLOT_MINUTES * MINUTE_MS);
  if (starts.length === 0) return null;
  const busy = groupBlocksByTable(blocksOfBookings(question.bookings));
  const tables: FreeTable[] = [...question.tables]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((table) => ({ ...table, free: startsInsideGaps(starts, freeGaps(windows, busy.get(table.id) ?? []), durationMs) }))
    .filter((table) => !isEmptySet(table.free) && table.minSize <= partySize);
  const seat = (ids: string[], set: StartSet): Seating => {
    const start = starts[earliest(set)]!;
    return { tableIds: ids, start, end: start + durationMs };
  };

  const single = tables.find((table) => table.maxSize >= partySize);
  if (single) return seat([single.id], single.free);

  // maxAfter[i]: Σ maxSize of tables[i..], to cut branches that can never reach the party.
  const maxAfter = new Array<number>(tables.length + 1).fill(0);
  for (let i = tables.length - 1; i >= 0; i--) maxAfter[i] = maxAfter[i + 1]! + tables[i]!.maxSize;
  const chosen: FreeTable[] = [];
  let nodes = 0;
  const scan = (from: number, sumMin: number, sumMax: number, common: StartSet): Seating | null => {
    for (let i = from; i < tables.length; i++) {
      if (++nodes > NODE_BUDGET) return null;
      const table = tables[i]!;
      const nextMin = sumMin + table.minSize;
      const nextMax = sumMax + table.maxSize;
      if (nextMin > partySize) continue;
      if (sumMax + maxAfter[i]! < partySize) return null;
      let next = table.free;
      if (chosen.length > 0) {
        next = emptyStartSet(starts.length);
        if (!intersectInto(next, common, table.free)) continue;
      }
      chosen.push(table);
      const found =
        nextMax >= partySize
          ? seat(
              chosen.map((t) => t.id),
              next,
            )
          : scan(i + 1, nextMin, nextMax, next);
      chosen.pop();
      if (found) return found;
    }
    return null;
  };
  const found = scan(0, 0, 0, emptyStartSet(starts.length));
  if (!found && nodes > NODE_BUDGET) firstFitStats.gaveUp++;
  return found;
}

export const firstFit: Strategy = { name: 'naive first-fit (id order)', choose: firstFitSeating };
