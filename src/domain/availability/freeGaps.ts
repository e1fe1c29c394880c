import type { Interval } from '../time/interval.js';

/** The parts of the windows not covered by any busy interval (busy sorted by start). */
export function freeGaps(windows: readonly Interval[], busy: readonly Interval[]): Interval[] {
  const gaps: Interval[] = [];
  for (const window of windows) {
    let cursor = window.start;
    for (const block of busy) {
      if (block.end <= cursor) continue;
      if (block.start >= window.end) break;
      if (block.start > cursor) gaps.push({ start: cursor, end: block.start });
      cursor = Math.max(cursor, block.end);
      if (cursor >= window.end) break;
    }
    if (cursor < window.end) gaps.push({ start: cursor, end: window.end });
  }
  return gaps;
}
