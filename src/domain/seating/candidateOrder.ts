/**
 * What WokiBrain optimises, in order:
 *   1. fewest tables (a single table before any combination),
 *   2. least waste: seats left empty, Σ maxSize − party,
 *   3. and 4., by the guest's window:
 *      - `flush` (the guest gave a window with both ends, so any start in it suits
 *        them): most tables used flush, then earliest start. A stay is flush on a
 *        table when it starts as the table's previous booking, blackout or service
 *        window ends, or ends as the next one starts. Time beside a flush stay stays
 *        in one piece; a stay floating mid-gap cuts it into slivers no later party
 *        can use. `npm run bench:yield` measures what this is worth.
 *      - `earliest` (no window, or only one end of it): earliest start, then most
 *        tables used flush,
 *   5. snuggest gap: least idle time left in the free gaps the stay sits in,
 *   6. table ids, compared as sorted lists — the unique final tie-break.
 */
export type StartPreference = 'earliest' | 'flush';

export interface RankedSeating {
  tableIds: readonly string[];
  waste: number;
  /** How many of the tables hold the stay flush against a neighbour (see `fitInGaps`). */
  flush: number;
  start: number;
  /** Σ over the tables of (free gap holding the stay − duration), in ms. */
  slack: number;
}

/** `earliest` when the guest left the window open at either end; `flush` when they bounded it. */
export function startPreferenceOf(window: { windowStart?: unknown; windowEnd?: unknown }): StartPreference {
  return window.windowStart !== undefined && window.windowEnd !== undefined ? 'flush' : 'earliest';
}

function compareIds(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/** Everything a seating is ranked by except its table ids. */
export interface SeatingRank {
  tableCount: number;
  waste: number;
  flush: number;
  start: number;
  slack: number;
}

/** The order without its final tie-break: 0 means only the table ids can tell the two apart. */
export function compareRanks(a: SeatingRank, b: SeatingRank, prefer: StartPreference): number {
  return a.tableCount - b.tableCount || compareAfterCount(a, b, prefer);
}

export function compareSeatings(a: RankedSeating, b: RankedSeating, prefer: StartPreference): number {
  return a.tableIds.length - b.tableIds.length || compareAfterCount(a, b, prefer) || compareIds(a.tableIds, b.tableIds);
}

function compareAfterCount(a: Omit<SeatingRank, 'tableCount'>, b: Omit<SeatingRank, 'tableCount'>, prefer: StartPreference): number {
  const byFlush = b.flush - a.flush;
  const byStart = a.start - b.start;
  return a.waste - b.waste || (prefer === 'flush' ? byFlush || byStart : byStart || byFlush) || a.slack - b.slack;
}

export interface ScoredSeating {
  tableCount: number;
  waste: number;
  flush: number;
  startIndex: number;
}

/**
 * A 0–100 summary of the same order for people: 10 points per extra table, one per
 * empty seat (both capped), and under one point for lateness and for tables not
 * used flush. It never rises along the order; where a cap (or the gap tie-break)
 * makes it flat the order still decides.
 */
export function scoreOf(seating: ScoredSeating, startCount: number, prefer: StartPreference): number {
  const { tableCount, waste, flush, startIndex } = seating;
  if (tableCount > 10) return 0;
  const base = 100 - 10 * (tableCount - 1) - Math.min(waste, 9);
  // Rank of (start, tables not flush) among the startCount × (tableCount + 1) such pairs, in the order's own nesting.
  const notFlush = tableCount - flush;
  const rank = prefer === 'flush' ? notFlush * startCount + startIndex : startIndex * (tableCount + 1) + notFlush;
  const penalty = waste >= 9 ? 0.99 : (0.99 * rank) / Math.max(1, startCount * (tableCount + 1));
  return Math.round((base - penalty) * 100) / 100;
}
