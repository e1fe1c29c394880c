import * as fc from 'fast-check';
import type { SeatBlock } from '../../src/domain/availability/seatBlock.js';
import type { Interval } from '../../src/domain/time/interval.js';
import { describeWindowProblem, type LocalWindow } from '../../src/domain/time/serviceWindows.js';

export const ZONES = [
  'UTC',
  'America/Argentina/Buenos_Aires',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
] as const;

/** Ordinary days and DST transition days of the zones above. */
export const DATES = ['2025-06-15', '2025-03-09', '2025-03-30', '2025-10-05', '2025-10-26', '2025-11-02'] as const;

const hhmm = (quarter: number): string => {
  const minutes = (quarter * 15) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

export interface GenTable {
  id: string;
  minSize: number;
  maxSize: number;
}

export const tableArb: fc.Arbitrary<GenTable[]> = fc
  .uniqueArray(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,4}$/), { minLength: 1, maxLength: 12 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc
          .record({ minSize: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 5 }) })
          .map(({ minSize, extra }) => ({ id, minSize, maxSize: minSize + extra })),
      ),
    ),
  )
  .map((tables) => [...tables]);

/**
 * 0–3 service windows on the grid, never overlapping; sometimes the last one crosses
 * midnight (ending no later than the first one opens), sometimes one ends at 00:00.
 */
export const windowsArb: fc.Arbitrary<LocalWindow[]> = fc
  .record({
    bounds: fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 }),
    crossing: fc.boolean(),
    crossEnd: fc.integer({ min: 1, max: 16 }),
  })
  .map(({ bounds, crossing, crossEnd }) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    if (sorted.length % 2 === 1) sorted.pop();
    const windows: { start: number; end: number }[] = [];
    for (let i = 0; i < sorted.length; i += 2) windows.push({ start: sorted[i]!, end: sorted[i + 1]! });
    const last = windows.at(-1);
    if (crossing && last && last.end === 96 && windows.length > 0) {
      const firstStart = windows[0] === last ? last.start : windows[0]!.start;
      const end = windows[0] === last ? Math.min(crossEnd, last.start - 1) : Math.min(crossEnd, firstStart);
      if (end >= 1) last.end = 96 + end;
    }
    return windows.map((w) => ({ start: hhmm(w.start), end: hhmm(w.end) }));
  })
  .filter((windows) => describeWindowProblem(windows) === null);

export interface GenOp {
  partySize: number;
  durationMinutes: number;
  windowStart?: string;
  windowEnd?: string;
}

export const opArb: fc.Arbitrary<GenOp> = fc
  .record({
    partySize: fc.integer({ min: 1, max: 24 }),
    durationMinutes: fc.integer({ min: 2, max: 12 }).map((q) => q * 15),
    windowStart: fc.option(fc.integer({ min: 0, max: 95 }), { nil: undefined }),
    windowEnd: fc.option(fc.integer({ min: 0, max: 95 }), { nil: undefined }),
  })
  .map(({ windowStart, windowEnd, ...op }) => ({
    ...op,
    ...(windowStart === undefined ? {} : { windowStart: hhmm(windowStart) }),
    ...(windowEnd === undefined || windowEnd === windowStart ? {} : { windowEnd: hhmm(windowEnd) }),
  }));

export interface SeatingChoice {
  tableIds: string[];
  start: number;
}

/**
 * An independent, exhaustive reference: every subset of tables and every grid start
 * in the windows, kept when the party fits Σmin..Σmax and every table is free for the
 * whole stay, ordered by (table count, Σmax − party, then — start first when `prefer` is
 * 'earliest' — most tables whose free stretch of service time starts or ends with
 * the stay and start, Σ idle time left in those stretches, sorted ids).
 */
export function bruteForceSeatings(
  tables: readonly GenTable[],
  blocks: readonly SeatBlock[],
  area: { service: readonly Interval[]; windows: readonly Interval[] },
  prefer: 'earliest' | 'flush',
  partySize: number,
  durationMinutes: number,
  limit: number,
): SeatingChoice[] {
  const { service, windows } = area;
  const duration = durationMinutes * 60_000;
  const starts = new Set<number>();
  for (const window of windows) for (let t = window.start; t + duration <= window.end; t += 15 * 60_000) starts.add(t);
  const sortedStarts = [...starts].sort((a, b) => a - b);
  const free = (tableId: string, start: number) =>
    blocks.every((block) => block.tableId !== tableId || block.end <= start || start + duration <= block.start);
  // The free stretch of one table around a stay: from the last thing before it (or service start) to the next.
  const stretchOf = (tableId: string, start: number) => {
    const window = service.find((w) => w.start <= start && start + duration <= w.end)!;
    const own = blocks.filter((block) => block.tableId === tableId);
    const from = Math.max(window.start, ...own.filter((b) => b.end <= start).map((b) => b.end));
    const to = Math.min(window.end, ...own.filter((b) => b.start >= start + duration).map((b) => b.start));
    return { slack: to - from - duration, flush: from === start || to === start + duration ? 1 : 0 };
  };
  const found: { tableIds: string[]; waste: number; flush: number; start: number; slack: number }[] = [];
  const n = tables.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const chosen = tables.filter((_, i) => mask & (1 << i));
    const min = chosen.reduce((s, t) => s + t.minSize, 0);
    const max = chosen.reduce((s, t) => s + t.maxSize, 0);
    if (min > partySize || max < partySize) continue;
    const tableIds = chosen.map((t) => t.id).sort();
    for (const start of sortedStarts) {
      if (chosen.every((t) => free(t.id, start))) {
        const stretches = chosen.map((t) => stretchOf(t.id, start));
        const slack = stretches.reduce((sum, s) => sum + s.slack, 0);
        const flush = stretches.reduce((sum, s) => sum + s.flush, 0);
        found.push({ tableIds, waste: max - partySize, flush, start, slack });
        if (limit === 1 && n > 7) return [{ tableIds, start }]; // existence only
      }
    }
  }
  const compareIds = (a: string[], b: string[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return a.length - b.length;
  };
  found.sort(
    (a, b) =>
      a.tableIds.length - b.tableIds.length ||
      a.waste - b.waste ||
      (prefer === 'flush' ? b.flush - a.flush || a.start - b.start : a.start - b.start || b.flush - a.flush) ||
      a.slack - b.slack ||
      compareIds(a.tableIds, b.tableIds),
  );
  return found.slice(0, limit).map(({ tableIds, start }) => ({ tableIds, start }));
}

/** A deterministic permutation driven by fast-check's own random numbers. */
export function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)]! + i * 1e-9 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}
