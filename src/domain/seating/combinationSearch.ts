import { emptyStartSet, intersectInto, isEmptySet, membersOf, type StartSet } from '../availability/startSet.js';
import { compareIds, compareSeatings, type StartPreference } from './candidateOrder.js';

export interface SearchTable {
  id: string;
  minSize: number;
  maxSize: number;
  /** Starts at which this table is free for the whole stay. */
  free: StartSet;
  /** Per start: idle time its free gap keeps around the stay (see `fitInGaps`). */
  slack: Float64Array;
  /** Per start: 1 when the stay is flush with an end of its free gap. */
  flush: Uint8Array;
}

export interface FoundSeating {
  tableIds: string[];
  minSize: number;
  maxSize: number;
  waste: number;
  flush: number;
  slack: number;
  startIndex: number;
  start: number;
}

export interface SearchOptions {
  partySize: number;
  limit: number;
  starts: readonly number[];
  prefer: StartPreference;
  /** Nodes the search may still visit once it holds a first answer; keeps large sectors in milliseconds. */
  nodeBudget?: number;
}

const DEFAULT_NODE_BUDGET = 20_000;

/**
 * The best `limit` seatings (tables + start) in WokiBrain order, among every set of
 * tables whose capacity range holds the party and which share a free start.
 *
 * Complete: table counts are tried from 1 upwards, and until a first answer exists
 * no branch is cut but by capacity or by an empty common start set, so a feasible
 * combination is always found. Bounded: counts that cannot reach or stay under the
 * party are skipped in O(1), branches that cannot beat the current `limit`-th answer
 * are cut, and after a first answer at most `nodeBudget` more nodes are visited.
 */
export function searchSeatings(tables: readonly SearchTable[], options: SearchOptions): FoundSeating[] {
  const { partySize, limit, starts, prefer } = options;
  const budget = options.nodeBudget ?? DEFAULT_NODE_BUDGET;
  const sorted = [...tables]
    .filter((table) => table.minSize <= partySize && !isEmptySet(table.free))
    .sort((a, b) => a.maxSize - b.maxSize || a.minSize - b.minSize || compareIds([a.id], [b.id]));
  const n = sorted.length;
  // prefixMax[i] = Σ maxSize of sorted[0..i): the r smallest maxima after i are a slice.
  const prefixMax = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefixMax[i + 1] = prefixMax[i]! + sorted[i]!.maxSize;
  const minsAscending = sorted.map((t) => t.minSize).sort((a, b) => a - b);
  // suffixLowestMin[i] = the smallest minSize in sorted[i..].
  const suffixLowestMin = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  for (let i = n - 1; i >= 0; i--) suffixLowestMin[i] = Math.min(suffixLowestMin[i + 1]!, sorted[i]!.minSize);

  const best: FoundSeating[] = [];
  let nodesAfterFirst = 0;
  const exhausted = (): boolean => best.length > 0 && nodesAfterFirst > budget;

  const offer = (seating: FoundSeating): boolean => {
    if (best.length === limit && compareSeatings(seating, best[best.length - 1]!, prefer) >= 0) return false;
    let at = best.length;
    while (at > 0 && compareSeatings(seating, best[at - 1]!, prefer) < 0) at--;
    best.splice(at, 0, seating);
    if (best.length > limit) best.pop();
    return true;
  };

  const chosen: SearchTable[] = [];
  const setsByDepth: StartSet[] = [];
  for (let depth = 0; depth <= n; depth++) setsByDepth.push(emptyStartSet(starts.length));

  const visit = (k: number, from: number, sumMin: number, sumMax: number, common: StartSet | null): void => {
    if (best.length > 0) nodesAfterFirst++;
    const remaining = k - chosen.length;
    if (remaining === 0) {
      if (sumMin > partySize || sumMax < partySize || !common) return;
      const tableIds = chosen.map((t) => t.id).sort((a, b) => compareIds([a], [b]));
      const waste = sumMax - partySize;
      const worst = best.length === limit ? best[best.length - 1]! : null;
      if (worst && (worst.tableIds.length < k || worst.waste < waste)) return;
      for (const index of membersOf(common)) {
        let slack = 0;
        let flush = 0;
        for (const table of chosen) {
          slack += table.slack[index]!;
          flush += table.flush[index]!;
        }
        const seating = { tableIds, minSize: sumMin, maxSize: sumMax, waste, flush, slack, startIndex: index, start: starts[index]! };
        // Starts ascend: once a start is refused, so is every later one — under `flush`, once it was flush on every table.
        if (!offer(seating) && (prefer === 'earliest' || flush === k)) break;
      }
      return;
    }
    for (let i = from; i <= n - remaining; i++) {
      if (exhausted()) return;
      const table = sorted[i]!;
      const nextMin = sumMin + table.minSize;
      const nextMax = sumMax + table.maxSize;
      const after = remaining - 1;
      // The smallest reachable minimum adds the lowest minSize left, `after` times.
      if (nextMin + (after > 0 ? after * suffixLowestMin[i + 1]! : 0) > partySize) continue;
      // The largest reachable capacity uses the `after` biggest tables, which sit at the end.
      if (nextMax + (prefixMax[n]! - prefixMax[n - after]!) < partySize) continue;
      if (best.length === limit) {
        const lowestWaste = Math.max(0, nextMax + (prefixMax[i + 1 + after]! - prefixMax[i + 1]!) - partySize);
        const worst = best[best.length - 1]!;
        if (worst.tableIds.length === k && worst.waste < lowestWaste) break;
      }
      let next: StartSet;
      if (common === null) {
        next = table.free;
      } else {
        next = setsByDepth[chosen.length]!;
        if (!intersectInto(next, common, table.free)) continue;
      }
      chosen.push(table);
      visit(k, i + 1, nextMin, nextMax, next);
      chosen.pop();
    }
  };

  for (let k = 1; k <= n; k++) {
    if (best.length === limit || exhausted()) break;
    let lowestMins = 0;
    for (let i = 0; i < k; i++) lowestMins += minsAscending[i]!;
    if (lowestMins > partySize) break;
    if (prefixMax[n]! - prefixMax[n - k]! < partySize) continue;
    visit(k, 0, 0, 0, null);
  }
  return best;
}
