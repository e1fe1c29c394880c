import { MAX_PARTY_SIZE } from '../src/application/contracts/fields.js';
import type { StartPreference } from '../src/domain/seating/candidateOrder.js';
import type { DiscoverRequest } from '../src/domain/seating/discoverSeatings.js';
import type { TableCapacity } from '../src/domain/seating/table.js';
import type { Expectation } from './adversarialCheck.js';
import {
  blocksFromFree,
  busyBlocks,
  frameOf,
  freeAtStarts,
  request,
  scatterBlocks,
  sizesOf,
  SLOT_MS,
  startSlots,
  tablesOf,
  type Frame,
  type Mix,
  type ServiceName,
} from './adversarialShapes.js';
import { mulberry32, shuffle } from './prng.js';

export interface BuiltCase {
  request: DiscoverRequest;
  expect?: Expectation;
}

export interface CraftedCase {
  /** Unique; what the worker is told to build. */
  name: string;
  label: string;
  build: () => BuiltCase;
}

/** The blackouts of the issue's 56-table sector, and the same density (per table) for its smaller variants. */
const ISSUE_BLACKOUTS = 1_366;
const ISSUE_TABLES = 56;

interface IssueOptions {
  tables: number;
  party: number;
  /** One start where exactly `party` tables are free (the only seating); otherwise none exists. */
  needle: boolean;
  prefer?: StartPreference;
  limit?: number;
  seed: number;
}

/**
 * The issue's sector: one-seat tables on a 12-hour service, each blocked by 15-minute
 * blackouts at most slots. Tables are free for a 30-minute stay only at "hot" starts
 * (every other slot), `party − 1` of them at each, so every start nearly seats the
 * party and none does — except, with `needle`, one start where exactly `party`
 * tables (none among the first quarter of ids) are free. Extra isolated free slots
 * then bring the blackouts down to the issue's density (1,366 for 56 tables) without
 * changing that. The answer is therefore known: nothing, or exactly that one seating.
 */
function issueShape(o: IssueOptions): BuiltCase {
  const random = mulberry32(o.seed);
  const frame = frameOf('noon', o.prefer ?? 'earliest');
  const stay = 2;
  const n = o.tables;
  const free = Array.from({ length: n }, () => new Uint8Array(frame.slots));
  const hot = startSlots(frame, stay).filter((s) => s % stay === 0);
  const needleAt = o.needle ? hot[Math.floor(hot.length * 0.7)]! : -1;
  const ids = Array.from({ length: n }, (_, i) => i);
  const needle = o.needle ? shuffle(random, ids.slice(Math.floor(n / 4))).slice(0, o.party) : [];
  for (const s of hot) {
    const chosen = s === needleAt ? needle : shuffle(random, ids.slice()).slice(0, o.party - 1);
    for (const t of chosen) free[t]!.fill(1, s, s + stay);
  }
  const starts = startSlots(frame, stay);
  const countAt = (s: number) => freeAtStarts(free, [s], stay)[0]!.length;
  const target = Math.round((ISSUE_BLACKOUTS * n) / ISSUE_TABLES);
  let blocked = n * frame.slots - free.reduce((sum, cells) => sum + cells.reduce((a, b) => a + b, 0), 0);
  for (let attempt = 0; blocked > target && attempt < 100_000; attempt++) {
    const t = Math.floor(random() * n);
    const s = Math.floor(random() * frame.slots);
    if (free[t]![s]) continue;
    free[t]![s] = 1;
    const touched = starts.filter((start) => start <= s && s < start + stay);
    if (touched.every((start) => (start === needleAt ? countAt(start) === o.party : countAt(start) < o.party))) blocked--;
    else free[t]![s] = 0;
  }
  // The construction is the answer key: check it rather than trust it.
  const counts = freeAtStarts(free, starts, stay).map((at) => at.length);
  starts.forEach((s, i) => {
    if (s === needleAt ? counts[i] !== o.party : counts[i]! >= o.party) throw new Error(`issue shape broken at slot ${s}`);
  });
  const tables = tablesOf(Array.from({ length: n }, () => [1, 1] as const));
  const blocks = shuffle(random, blocksFromFree(frame, tables, free, false));
  return {
    request: request(frame, tables, blocks, o.party, 30, o.limit ?? 10),
    expect: o.needle
      ? { kind: 'tables', tableIds: needle.map((t) => tables[t]!.id), leading: 1, count: 1, start: frame.origin + needleAt * SLOT_MS }
      : { kind: 'none' },
  };
}

interface FloorOptions {
  mix: Mix;
  tables?: number;
  blocks: number;
  service?: ServiceName;
  prefer?: StartPreference;
  party: number;
  duration?: number;
  limit?: number;
  seed?: number;
  expect?: Expectation;
}

/** A 200-table floor of the given mix, `blocks` bookings and blackouts from `busyBlocks`. */
function floor(o: FloorOptions): BuiltCase {
  const random = mulberry32(o.seed ?? 20_251_022);
  const frame: Frame = frameOf(o.service ?? 'demo', o.prefer ?? 'earliest');
  const tables: TableCapacity[] = tablesOf(sizesOf(o.mix, o.tables ?? 200, random));
  const blocks = o.blocks > 0 ? busyBlocks(random, tables, frame, o.blocks) : [];
  return {
    request: request(frame, tables, blocks, o.party, o.duration ?? 90, o.limit ?? 10),
    ...(o.expect ? { expect: o.expect } : {}),
  };
}

const issue =
  (tables: number, party: number, needle: boolean, extra: Partial<IssueOptions> = {}) =>
  () =>
    issueShape({ tables, party, needle, seed: 10_000 + tables, ...extra });

export const craftedCases: CraftedCase[] = [
  // (a) Issue 10: one-seat tables, 15-minute blackouts, half the tables needed.
  { name: 'issue-40', label: 'issue 10: 1-seat tables, party 20, one seating exists', build: issue(40, 20, true) },
  { name: 'issue-48', label: 'issue 10: 1-seat tables, party 24, one seating exists', build: issue(48, 24, true) },
  { name: 'issue-56', label: 'issue 10: 1-seat tables, party 28, one seating exists', build: issue(56, 28, true) },
  { name: 'issue-56-none', label: 'issue 10: 1-seat tables, party 28, every start one short', build: issue(56, 28, false) },
  {
    name: 'issue-56-flush',
    label: 'issue 10: party 28, window 12:00–00:00 (flush first)',
    build: issue(56, 28, true, { prefer: 'flush' }),
  },
  { name: 'issue-56-create', label: 'issue 10: party 28, limit 1 (create)', build: issue(56, 28, true, { limit: 1 }) },
  {
    name: 'issue-56-scatter',
    label: 'issue 10: party 28, 1,366 blackouts at random slots',
    build: () => {
      const random = mulberry32(56_028);
      const frame = frameOf('noon', 'earliest');
      const tables = tablesOf(Array.from({ length: 56 }, () => [1, 1] as const));
      return { request: request(frame, tables, scatterBlocks(random, tables, frame, ISSUE_BLACKOUTS), 28, 30, 10) };
    },
  },

  // (b) Subset-sum capacities: distinct fixed sizes (minSize = maxSize).
  {
    name: 'even-401',
    label: 'sizes 2,4…400 fixed, party 401 (odd: none)',
    build: () => floor({ mix: 'evenFixed', blocks: 0, party: 401, expect: { kind: 'none' } }),
  },
  {
    name: 'even-999',
    label: 'sizes 2,4…400 fixed, party 999 (odd: none)',
    build: () => floor({ mix: 'evenFixed', blocks: 0, party: 999, expect: { kind: 'none' } }),
  },
  {
    name: 'even-401-busy',
    label: 'sizes 2,4…400 fixed, party 401 (none), 5,000 blocks',
    build: () => floor({ mix: 'evenFixed', blocks: 5_000, party: 401, expect: { kind: 'none' } }),
  },
  {
    name: 'even-401-create',
    label: 'sizes 2,4…400 fixed, party 401 (none), limit 1 (create)',
    build: () => floor({ mix: 'evenFixed', blocks: 0, party: 401, limit: 1, expect: { kind: 'none' } }),
  },
  {
    name: 'even-1000',
    label: 'sizes 2,4…400 fixed, party 1,000 (the most; 3 tables, none empty)',
    build: () => floor({ mix: 'evenFixed', blocks: 0, party: MAX_PARTY_SIZE, expect: { kind: 'first', tables: 3, waste: 0 } }),
  },
  {
    name: 'even-1000-100',
    label: 'sizes 2,4…400 fixed, party 1,000, limit 100, 5,000 blocks',
    build: () => floor({ mix: 'evenFixed', blocks: 5_000, party: MAX_PARTY_SIZE, limit: 100 }),
  },
  {
    name: 'three-1000',
    label: 'sizes 3,6…600 fixed, party 1,000 (not a multiple of 3: none)',
    build: () => floor({ mix: 'threeFixed', blocks: 0, party: 1_000, expect: { kind: 'none' } }),
  },
  {
    name: 'huge-999',
    label: 'sizes 602…1,000 fixed, party 999 (odd: none)',
    build: () => floor({ mix: 'huge', blocks: 0, party: 999, expect: { kind: 'none' } }),
  },

  // (c) Many distinct (min, max) types, parties that need many tables.
  { name: 'types-60', label: 'mixed types (min 1–8, max +0–6), party 60', build: () => floor({ mix: 'types', blocks: 5_000, party: 60 }) },
  {
    name: 'types-60-flush',
    label: 'mixed types (min 1–8, max +0–6), party 60, flush first',
    build: () => floor({ mix: 'types', blocks: 5_000, party: 60, prefer: 'flush' }),
  },
  {
    name: 'types-150',
    label: 'mixed types (min 1–8, max +0–6), party 150',
    build: () => floor({ mix: 'types', blocks: 5_000, party: 150 }),
  },
  {
    name: 'types-333-flush',
    label: 'mixed types (min 1–8, max +0–6), party 333, flush first',
    build: () => floor({ mix: 'types', blocks: 5_000, party: 333, prefer: 'flush' }),
  },
  {
    name: 'types-1000',
    label: 'mixed types, party 1,000 (the most: a buyout, about 100 tables)',
    build: () => floor({ mix: 'types', blocks: 0, party: MAX_PARTY_SIZE }),
  },
  {
    name: 'types-1000-100',
    label: 'mixed types, party 1,000, flush first, limit 100',
    build: () => floor({ mix: 'types', blocks: 0, party: MAX_PARTY_SIZE, prefer: 'flush', limit: 100 }),
  },
  { name: 'wide-97', label: 'ranges 1–3 up to 4–22, party 97', build: () => floor({ mix: 'wide', blocks: 5_000, party: 97 }) },

  // (d) The bound's scale: 200 tables, 5,000 bookings and blackouts, parties 1–60, both start preferences.
  ...([1, 8, 20, 40, 60] as const).flatMap((party): CraftedCase[] =>
    (['earliest', 'flush'] as const).map((prefer) => ({
      name: `busy-${party}-${prefer}`,
      label: `party ${party}, ${party === 1 ? 60 : 90} min, ${prefer === 'flush' ? 'window 12:00–23:45 (flush first)' : 'no window (earliest)'}`,
      build: () => floor({ mix: 'bench', blocks: 5_000, party, duration: party === 1 ? 60 : 90, prefer }),
    })),
  ),

  // (e) Day shapes: no service windows (the whole day), and a window crossing midnight.
  {
    name: 'day-15',
    label: 'whole day (96 starts), party 20, 15 min',
    build: () => floor({ mix: 'bench', blocks: 5_000, service: 'day', party: 20, duration: 15 }),
  },
  {
    name: 'day-120-flush',
    label: 'whole day, party 60, 120 min, window 00:00–23:45',
    build: () => floor({ mix: 'bench', blocks: 5_000, service: 'day', party: 60, duration: 120, prefer: 'flush' }),
  },
  {
    name: 'midnight-20',
    label: '12:00–15:00 + 19:00–03:00, party 20',
    build: () => floor({ mix: 'bench', blocks: 5_000, service: 'midnight', party: 20 }),
  },
  {
    name: 'midnight-40-flush',
    label: '12:00–15:00 + 19:00–03:00, party 40, window 12:00–03:00',
    build: () => floor({ mix: 'bench', blocks: 5_000, service: 'midnight', party: 40, prefer: 'flush' }),
  },

  // (f) Limits: 1 (what create asks for), 10 (the default, above), 100 (the API's maximum).
  ...([20, 60] as const).flatMap((party): CraftedCase[] =>
    ([1, 100] as const).map((limit) => ({
      name: `limit-${party}-${limit}`,
      label: `party ${party}, flush first, limit ${limit}${limit === 1 ? ' (create)' : ''}`,
      build: () => floor({ mix: 'bench', blocks: 5_000, party, prefer: 'flush', limit }),
    })),
  ),
  {
    name: 'types-150-100',
    label: 'mixed types (min 1–8, max +0–6), party 150, limit 100',
    build: () => floor({ mix: 'types', blocks: 5_000, party: 150, limit: 100 }),
  },
];
