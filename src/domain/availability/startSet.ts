import type { Interval } from '../time/interval.js';
import type { Instant } from '../time/zone.js';

/**
 * The candidate starts of one request, and sets of them as bitsets: bit i stands
 * for `starts[i]`. Intersecting the start sets of several tables is a word-wise AND,
 * which is what makes the combination search cheap.
 */
export type StartSet = Uint32Array;

export function emptyStartSet(startCount: number): StartSet {
  return new Uint32Array(Math.max(1, Math.ceil(startCount / 32)));
}

/** Grid starts `t` with `[t, t + duration)` inside a window, ascending and unique. */
export function gridStarts(windows: readonly Interval[], durationMs: number, slotMs: number): Instant[] {
  const starts: Instant[] = [];
  for (const window of windows) {
    for (let t = window.start; t + durationMs <= window.end; t += slotMs) starts.push(t);
  }
  starts.sort((a, b) => a - b);
  return starts.filter((t, i) => i === 0 || t !== starts[i - 1]);
}

/** The starts whose whole stay `[t, t + duration)` lies inside one gap. */
export function startsInsideGaps(starts: readonly Instant[], gaps: readonly Interval[], durationMs: number): StartSet {
  const set = emptyStartSet(starts.length);
  let g = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    while (g < gaps.length && gaps[g]!.end < start + durationMs) g++;
    if (g === gaps.length) break;
    if (gaps[g]!.start <= start) set[i >>> 5]! |= 1 << (i & 31);
  }
  return set;
}

/** How each start sits in the free gap that holds its stay; see `fitInGaps`. */
interface GapFit {
  /** Idle time the gap keeps around the stay (gap length − duration); NaN where the stay does not fit. */
  slack: Float64Array;
  /** 1 where the stay is flush with an end of its gap: it starts as something ends, or ends as something starts. */
  flush: Uint8Array;
}

/**
 * Flush stays are what keep a table's day packable: the time left beside them stays
 * in one piece instead of being cut into slivers too short for any later party.
 * Slack breaks ties the same way: a snug gap is used before a long one is broken up.
 */
function fitInGaps(starts: readonly Instant[], gaps: readonly Interval[], durationMs: number): GapFit {
  const slack = new Float64Array(starts.length).fill(Number.NaN);
  const flush = new Uint8Array(starts.length);
  let g = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    while (g < gaps.length && gaps[g]!.end < start + durationMs) g++;
    if (g === gaps.length) break;
    const gap = gaps[g]!;
    if (gap.start > start) continue;
    slack[i] = gap.end - gap.start - durationMs;
    if (gap.start === start || gap.end === start + durationMs) flush[i] = 1;
  }
  return { slack, flush };
}

/** Where a table is free for the stay (`startsInsideGaps`), and how each start sits in its gap (`fitInGaps`). */
export interface StayFit extends GapFit {
  free: StartSet;
}

export function stayFit(starts: readonly Instant[], gaps: readonly Interval[], durationMs: number): StayFit {
  const fit = fitInGaps(starts, gaps, durationMs);
  // A start has a slack exactly when its whole stay lies inside a gap.
  const free = emptyStartSet(starts.length);
  for (let i = 0; i < starts.length; i++) if (!Number.isNaN(fit.slack[i]!)) free[i >>> 5]! |= 1 << (i & 31);
  return { free, ...fit };
}

export function intersectInto(target: StartSet, a: StartSet, b: StartSet): boolean {
  let any = 0;
  for (let w = 0; w < target.length; w++) {
    target[w] = a[w]! & b[w]!;
    any |= target[w]!;
  }
  return any !== 0;
}

export function isEmptySet(set: StartSet): boolean {
  for (let w = 0; w < set.length; w++) if (set[w] !== 0) return false;
  return true;
}

/** Calls `visit` with the index of each set bit, ascending (a plain loop: a generator costs an object per start). */
export function forEachMember(set: StartSet, visit: (index: number) => void): void {
  for (let w = 0; w < set.length; w++) {
    let word = set[w]!;
    while (word !== 0) {
      visit(w * 32 + 31 - Math.clz32(word & -word));
      word &= word - 1;
    }
  }
}
