/**
 * What WokiBrain optimises, in order:
 *   1. fewest tables (a single table before any combination),
 *   2. least waste: seats left empty, Σ maxSize − party,
 *   3. earliest start within the requested window,
 *   4. snuggest fit in time: least idle time left in the free gaps the stay sits in,
 *      so that long free stretches stay whole for the parties that need them,
 *   5. table ids, compared as sorted lists — the unique final tie-break.
 */
export interface RankedSeating {
  tableIds: readonly string[];
  waste: number;
  /** Σ over the tables of (free gap holding the stay − duration), in ms. */
  slack: number;
  start: number;
}

export function compareIds(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

export function compareSeatings(a: RankedSeating, b: RankedSeating): number {
  return (
    a.tableIds.length - b.tableIds.length ||
    a.waste - b.waste ||
    a.start - b.start ||
    a.slack - b.slack ||
    compareIds(a.tableIds, b.tableIds)
  );
}

/**
 * A 0–100 summary of the same order for people: 10 points per extra table, one per
 * empty seat (both capped) and under one point for lateness. It never rises along
 * the order; where a cap (or the gap tie-break) makes it flat the order still decides.
 */
export function scoreOf(tableCount: number, waste: number, startIndex: number, startCount: number): number {
  if (tableCount > 10) return 0;
  const base = 100 - 10 * (tableCount - 1) - Math.min(waste, 9);
  const lateness = waste >= 9 ? 0.99 : (0.99 * startIndex) / Math.max(1, startCount);
  return Math.round((base - lateness) * 100) / 100;
}
