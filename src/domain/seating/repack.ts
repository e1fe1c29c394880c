import { freeGaps } from '../availability/freeGaps.js';
import type { SeatBlock } from '../availability/seatBlock.js';
import type { Interval } from '../time/interval.js';
import type { TableCapacity } from './table.js';

/**
 * Repack: re-seat one sector's bookings of one service day on other tables, to
 * leave fewer seats empty and longer stretches of free time, without ever moving
 * a booking in time.
 *
 * What it optimises, lexicographically, over the whole day:
 *   1. total waste, Σ over bookings of (Σ maxSize of its tables − partySize), lower first;
 *   2. total number of tables the bookings use, lower first (fewer pushed-together tables);
 *   3. the free gaps: the multiset of free-interval lengths of every table within the
 *      windows, compared largest first ("leximax"): the longest gap wins, then the
 *      second longest, …; a superset of gaps beats its subset. This is what keeps
 *      free time contiguous — a booking goes where it touches its neighbours.
 *   4. fewest bookings moved; then the local-search result over the greedy one.
 *
 * How, in two deterministic runs whose better outcome is kept:
 *   - local search from the current assignment: bookings in order (party desc, length
 *     desc, start, id), one at a time, are lifted and put on the best free table set;
 *     a move is made only when it strictly improves (1, 2, 3) for the whole day, so
 *     waste never rises and the passes end (at most `maxPasses`);
 *   - a greedy rebuild (same order, each booking takes the best free set given the ones
 *     placed before it) followed by the same local search; it is discarded if some
 *     booking finds no set.
 * The search for one booking tries table counts from 1 upwards, keeps only sets of
 * tables free for its whole stay with Σ minSize ≤ party ≤ Σ maxSize, prunes by
 * capacity and by the waste it must beat, and stops `nodeBudget` nodes after its first
 * answer (20 × `nodeBudget` nodes if none is found).
 * Ranking of sets for one booking: waste, table count, gaps (3), table ids.
 * Bound: at most 2 × (1 + maxPasses) placements per booking, each O(tables × blocks
 * per table) to find the free tables plus at most 21 × nodeBudget search nodes.
 *
 * Pure, deterministic and independent of input order (tables, bookings, their table
 * lists, fixed blocks and windows are all sorted first). Idempotent whenever the local
 * search converged within `maxPasses`: repacking a repacked day changes nothing, since
 * the day is a local-search fixpoint and the greedy rebuild ignores current tables.
 *
 * Pinned bookings are never moved (their tables stay blocked) and are reported in
 * `pinnedBookingIds`: a booking whose current tables are not a valid set of the
 * sector's tables (unknown or repeated table, capacity rule broken, no table, empty
 * stay), or which overlaps another booking or a fixed block in the input. Their waste
 * is counted with the tables of the sector they hold (an unknown table counts 0).
 *
 * Windows are sorted and merged where they overlap or touch; they only matter for
 * measuring gaps. Throws a RangeError on duplicate table or booking ids and on a
 * table whose sizes are not finite with 0 ≤ minSize ≤ maxSize.
 */

export interface RepackBooking {
  id: string;
  partySize: number;
  start: number;
  end: number;
  tableIds: readonly string[];
}

/** Anything a table is unavailable for that repack must not move: blackouts, holds… */
export type RepackFixedBlock = Pick<SeatBlock, 'tableId' | 'start' | 'end'>;

interface RepackLimits {
  /** Search nodes allowed per booking placement once a first set is found (20× that before). */
  nodeBudget?: number;
  /** Local-search passes over all bookings, per run. */
  maxPasses?: number;
}

export interface RepackInput {
  /** The sector's tables. */
  tables: readonly TableCapacity[];
  /** The day's seat-taking bookings of the sector. */
  bookings: readonly RepackBooking[];
  /** Unmovable unavailability per table; blocks on other sectors' tables are ignored. */
  fixedBlocks?: readonly RepackFixedBlock[];
  /** Service windows of the day: where free gaps are measured. */
  windows: readonly Interval[];
  limits?: RepackLimits;
}

interface RepackAssignment {
  bookingId: string;
  /** Tables before, sorted by id. */
  from: string[];
  /** Tables after, sorted by id. */
  to: string[];
}

export interface RepackResult {
  /** Only bookings whose tables change, sorted by booking id. */
  assignments: RepackAssignment[];
  wasteBefore: number;
  wasteAfter: number;
  /** Longest free interval (ms) on any single table within the windows, before and after. */
  largestGapBefore: number;
  largestGapAfter: number;
  /** Bookings left where they are because their input is invalid or overlapping; sorted. */
  pinnedBookingIds: string[];
}

/** Search nodes per placement once a first set is found; before that, up to 20 times as many. */
const REPACK_NODE_BUDGET = 1_000;
const FIRST_ANSWER_FACTOR = 20;
const REPACK_MAX_PASSES = 25;

interface Table {
  id: string;
  min: number;
  max: number;
}

interface Booking {
  id: string;
  party: number;
  start: number;
  end: number;
  /** Table indices held in the input that are tables of the sector, ascending. */
  original: number[];
  pinned: boolean;
}

/** One interval taken on a table; `owner` is a movable booking's index, or -1 when it never moves. */
interface Slot {
  start: number;
  end: number;
  owner: number;
}

interface Context {
  tables: Table[];
  bookings: Booking[];
  windows: Interval[];
  /** Table indices by maxSize, minSize, id. */
  byCapacity: number[];
  /** Movable bookings in processing order. */
  order: number[];
  nodeBudget: number;
  maxPasses: number;
}

interface State {
  slots: Slot[][];
  /** Per booking index: table indices, ascending (ids ascending). */
  assign: number[][];
}

/**
 * How a placement changes the multiset of gap lengths, as flat pairs
 * `[length, count, length, count, …]` by length descending with counts ≠ 0:
 * +1 for each gap it creates, −1 for each gap it removes.
 */
type GapChange = number[];

/** A set of tables for one booking, with its effect on the gaps of those tables. */
interface Choice {
  /** Table indices ascending (so ids ascending). */
  tables: number[];
  waste: number;
  gaps: GapChange;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function repackDay(input: RepackInput): RepackResult {
  const ctx = contextOf(input);
  const initial = initialState(ctx, input.fixedBlocks ?? []);

  const fromCurrent = cloneState(initial);
  localSearch(ctx, fromCurrent);
  let final = fromCurrent;

  const rebuilt = greedy(ctx, initial);
  if (rebuilt) {
    localSearch(ctx, rebuilt);
    if (compareOutcomes(ctx, rebuilt, fromCurrent, initial) < 0) final = rebuilt;
  }

  const assignments: RepackAssignment[] = [];
  ctx.bookings.forEach((booking, index) => {
    const after = final.assign[index]!;
    const before = initial.assign[index]!;
    if (booking.pinned || sameList(after, before)) return;
    assignments.push({
      bookingId: booking.id,
      from: before.map((t) => ctx.tables[t]!.id),
      to: after.map((t) => ctx.tables[t]!.id),
    });
  });
  return {
    assignments,
    wasteBefore: totalWaste(ctx, initial, true),
    wasteAfter: totalWaste(ctx, final, true),
    largestGapBefore: allGaps(ctx, initial).reduce((a, b) => Math.max(a, b), 0),
    largestGapAfter: allGaps(ctx, final).reduce((a, b) => Math.max(a, b), 0),
    pinnedBookingIds: ctx.bookings.filter((b) => b.pinned).map((b) => b.id),
  };
}

function contextOf(input: RepackInput): Context {
  const tables: Table[] = input.tables
    .map((t) => ({ id: t.id, min: t.minSize, max: t.maxSize }))
    .sort((a, b) => compareStrings(a.id, b.id));
  const tableIndex = new Map<string, number>();
  tables.forEach((table, index) => {
    if (tableIndex.has(table.id)) throw new RangeError(`repack: duplicate table id ${table.id}`);
    if (!Number.isFinite(table.min) || !Number.isFinite(table.max) || table.min < 0 || table.max < table.min) {
      throw new RangeError(`repack: table ${table.id} needs finite sizes with 0 ≤ minSize ≤ maxSize`);
    }
    tableIndex.set(table.id, index);
  });

  const bookings: Booking[] = input.bookings.map((b) => bookingOf(b, tables, tableIndex)).sort((a, b) => compareStrings(a.id, b.id));
  for (let i = 1; i < bookings.length; i++) {
    if (bookings[i]!.id === bookings[i - 1]!.id) throw new RangeError(`repack: duplicate booking id ${bookings[i]!.id}`);
  }

  const byCapacity = tables.map((_, i) => i).sort((a, b) => tables[a]!.max - tables[b]!.max || tables[a]!.min - tables[b]!.min || a - b);
  return {
    tables,
    bookings,
    windows: mergeWindows(input.windows),
    byCapacity,
    order: [],
    nodeBudget: Math.max(1, input.limits?.nodeBudget ?? REPACK_NODE_BUDGET),
    maxPasses: Math.max(0, input.limits?.maxPasses ?? REPACK_MAX_PASSES),
  };
}

function bookingOf(raw: RepackBooking, tables: readonly Table[], tableIndex: ReadonlyMap<string, number>): Booking {
  const known = [...new Set(raw.tableIds)].flatMap((id) => {
    const index = tableIndex.get(id);
    return index === undefined ? [] : [index];
  });
  known.sort((a, b) => a - b);
  let sumMin = 0;
  let sumMax = 0;
  for (const t of known) {
    sumMin += tables[t]!.min;
    sumMax += tables[t]!.max;
  }
  const valid =
    raw.tableIds.length > 0 &&
    known.length === raw.tableIds.length &&
    raw.start < raw.end &&
    sumMin <= raw.partySize &&
    raw.partySize <= sumMax;
  return { id: raw.id, party: raw.partySize, start: raw.start, end: raw.end, original: known, pinned: !valid };
}

function mergeWindows(windows: readonly Interval[]): Interval[] {
  const sorted = windows.filter((w) => w.start < w.end).map((w) => ({ start: w.start, end: w.end }));
  sorted.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const window of sorted) {
    const last = merged[merged.length - 1];
    if (last && window.start <= last.end) last.end = Math.max(last.end, window.end);
    else merged.push(window);
  }
  return merged;
}

function initialState(ctx: Context, fixedBlocks: readonly RepackFixedBlock[]): State {
  const index = new Map(ctx.tables.map((t, i) => [t.id, i] as const));
  const slots: Slot[][] = ctx.tables.map(() => []);
  for (const block of fixedBlocks) {
    const t = index.get(block.tableId);
    if (t !== undefined && block.start < block.end) slots[t]!.push({ start: block.start, end: block.end, owner: -1 });
  }
  ctx.bookings.forEach((booking, b) => {
    if (booking.start >= booking.end) return;
    for (const t of booking.original) slots[t]!.push({ start: booking.start, end: booking.end, owner: b });
  });
  // A booking that overlaps anything in the input is pinned: its slots stay, unmovable.
  for (const list of slots) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const c = list[j]!;
        if (a.start < c.end && c.start < a.end) {
          if (a.owner >= 0) ctx.bookings[a.owner]!.pinned = true;
          if (c.owner >= 0) ctx.bookings[c.owner]!.pinned = true;
        }
      }
    }
  }
  for (const list of slots) {
    for (const slot of list) if (slot.owner >= 0 && ctx.bookings[slot.owner]!.pinned) slot.owner = -1;
  }
  for (const list of slots) list.sort(compareSlots);
  ctx.order = ctx.bookings
    .map((_, i) => i)
    .filter((i) => !ctx.bookings[i]!.pinned)
    .sort((i, j) => {
      const a = ctx.bookings[i]!;
      const b = ctx.bookings[j]!;
      return b.party - a.party || b.end - b.start - (a.end - a.start) || a.start - b.start || i - j;
    });
  return { slots, assign: ctx.bookings.map((b) => [...b.original]) };
}

function compareSlots(a: Slot, b: Slot): number {
  return a.start - b.start || a.end - b.end || a.owner - b.owner;
}

function cloneState(state: State): State {
  return { slots: state.slots.map((list) => list.map((s) => ({ ...s }))), assign: state.assign.map((a) => [...a]) };
}

function isFree(list: readonly Slot[], start: number, end: number): boolean {
  for (const slot of list) if (slot.start < end && start < slot.end) return false;
  return true;
}

function place(state: State, b: number, booking: Booking, tables: readonly number[]): void {
  for (const t of tables) state.slots[t]!.push({ start: booking.start, end: booking.end, owner: b });
  state.assign[b] = [...tables];
}

function lift(state: State, b: number): void {
  for (const t of state.assign[b]!) {
    const list = state.slots[t]!;
    const at = list.findIndex((s) => s.owner === b);
    if (at >= 0) list.splice(at, 1);
  }
  state.assign[b] = [];
}

/** Lengths of `[a, b)` ∩ each window, each counted `sign` times into `out` (flat pairs). */
function pushPieces(a: number, b: number, windows: readonly Interval[], sign: number, out: number[]): void {
  for (const window of windows) {
    const start = Math.max(a, window.start);
    const end = Math.min(b, window.end);
    if (start < end) out.push(end - start, sign);
  }
}

/** Sorts flat pairs by length descending, adds up equal lengths and drops zero counts. */
function normalise(pairs: readonly number[]): GapChange {
  // Insertion into a sorted list: a change holds a handful of lengths per table.
  const out: GapChange = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const length = pairs[i]!;
    let at = 0;
    while (at < out.length && out[at]! > length) at += 2;
    if (at < out.length && out[at] === length) {
      out[at + 1]! += pairs[i + 1]!;
      if (out[at + 1] === 0) out.splice(at, 2);
    } else {
      out.splice(at, 0, length, pairs[i + 1]!);
    }
  }
  return out;
}

/**
 * How the gaps of one table change when `[start, end)` — free on it — is taken:
 * the free stretch around it is replaced by what is left either side.
 */
function gapChange(list: readonly Slot[], start: number, end: number, windows: readonly Interval[]): GapChange {
  let before = Number.NEGATIVE_INFINITY;
  let after = Number.POSITIVE_INFINITY;
  for (const slot of list) {
    if (slot.end <= start) before = Math.max(before, slot.end);
    else after = Math.min(after, slot.start);
  }
  const pairs: number[] = [];
  pushPieces(before, after, windows, -1, pairs);
  pushPieces(before, start, windows, 1, pairs);
  pushPieces(end, after, windows, 1, pairs);
  return normalise(pairs);
}

function combineChanges(changes: readonly GapChange[]): GapChange {
  if (changes.length === 1) return changes[0]!;
  const pairs: number[] = [];
  for (const change of changes) pairs.push(...change);
  return normalise(pairs);
}

/**
 * Leximax over gap multisets: > 0 when the day after change `p` has the better gaps
 * than after change `q` (from the same day). The longest gap decides, then the next;
 * more gaps beat fewer. Equivalently: at the longest length whose count differs
 * between the two days, the day with more gaps of that length is better.
 */
function compareGapChanges(p: GapChange, q: GapChange): number {
  let i = 0;
  let j = 0;
  for (;;) {
    const lengthP = i < p.length ? p[i]! : Number.NEGATIVE_INFINITY;
    const lengthQ = j < q.length ? q[j]! : Number.NEGATIVE_INFINITY;
    if (i >= p.length && j >= q.length) return 0;
    if (lengthP > lengthQ) return Math.sign(p[i + 1]!);
    if (lengthQ > lengthP) return -Math.sign(q[j + 1]!);
    const difference = p[i + 1]! - q[j + 1]!;
    if (difference !== 0) return Math.sign(difference);
    i += 2;
    j += 2;
  }
}

/** Leximax on whole multisets of gap lengths: > 0 when `x` is better. */
function compareGapMultisets(x: readonly number[], y: readonly number[]): number {
  const xs = [...x].sort((a, b) => b - a);
  const ys = [...y].sort((a, b) => b - a);
  const length = Math.min(xs.length, ys.length);
  for (let i = 0; i < length; i++) {
    if (xs[i] !== ys[i]) return xs[i]! > ys[i]! ? 1 : -1;
  }
  return xs.length - ys.length;
}

function compareIndexLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** < 0 when `p` is the better choice for the same booking in the same state. */
function compareChoices(p: Choice, q: Choice, withIds: boolean): number {
  if (p.waste !== q.waste) return p.waste < q.waste ? -1 : 1;
  if (p.tables.length !== q.tables.length) return p.tables.length - q.tables.length;
  const gaps = -compareGapChanges(p.gaps, q.gaps);
  if (gaps !== 0 || !withIds) return gaps;
  return compareIndexLists(p.tables, q.tables);
}

/**
 * The best set of free tables for a booking already lifted from `state`, among sets
 * ranked no worse than (`boundWaste`, `boundCount`) by waste then table count;
 * null if none is found within the node budget.
 */
function bestChoice(ctx: Context, state: State, booking: Booking, boundWaste: number, boundCount: number): Choice | null {
  const party = booking.party;
  const free: number[] = [];
  for (const t of ctx.byCapacity) {
    if (ctx.tables[t]!.min <= party && isFree(state.slots[t]!, booking.start, booking.end)) free.push(t);
  }
  const n = free.length;
  if (n === 0) return null;
  const changes = free.map((t) => gapChange(state.slots[t]!, booking.start, booking.end, ctx.windows));
  const prefixMax = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefixMax[i + 1] = prefixMax[i]! + ctx.tables[free[i]!]!.max;
  const suffixLowestMin = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  for (let i = n - 1; i >= 0; i--) suffixLowestMin[i] = Math.min(suffixLowestMin[i + 1]!, ctx.tables[free[i]!]!.min);
  const minsAscending = free.map((t) => ctx.tables[t]!.min).sort((a, b) => a - b);
  const topMax = (r: number): number => prefixMax[n]! - prefixMax[n - r]!;

  let best: Choice | null = null;
  let nodes = 0;
  let nodesAfterFirst = 0;
  const exhausted = (): boolean => (best ? nodesAfterFirst >= ctx.nodeBudget : nodes >= ctx.nodeBudget * FIRST_ANSWER_FACTOR);
  const allowed = (waste: number, count: number): boolean => {
    if (waste > boundWaste || (waste === boundWaste && count > boundCount)) return false;
    if (best && (waste > best.waste || (waste === best.waste && count > best.tables.length))) return false;
    return true;
  };
  const chosen: number[] = [];

  const offer = (waste: number): void => {
    // `allowed` let it through, and counts only grow: it beats `best` on waste, or ties on waste and count.
    const choice = {
      tables: chosen.map((i) => free[i]!).sort((a, b) => a - b),
      waste,
      gaps: combineChanges(chosen.map((i) => changes[i]!)),
    };
    if (!best || compareChoices(choice, best, true) < 0) best = choice;
  };

  const visit = (k: number, from: number, sumMin: number, sumMax: number): void => {
    const remaining = k - chosen.length;
    if (remaining === 0) {
      if (sumMin <= party && party <= sumMax && allowed(sumMax - party, k)) offer(sumMax - party);
      return;
    }
    const after = remaining - 1;
    // Maxima ascend along `free`: jump to the first table big enough to still reach the party.
    const needed = party - sumMax - (after > 0 ? topMax(after) : 0);
    let low = from;
    let high = n - remaining + 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (ctx.tables[free[mid]!]!.max < needed) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i <= n - remaining; i++) {
      if (exhausted()) return;
      nodes++;
      if (best) nodesAfterFirst++;
      const table = ctx.tables[free[i]!]!;
      const nextMin = sumMin + table.min;
      const nextMax = sumMax + table.max;
      if (nextMin + (after > 0 ? after * suffixLowestMin[i + 1]! : 0) > party) continue;
      if (nextMax + (after > 0 ? topMax(after) : 0) < party) continue;
      // Maxima ascend along `free`, so the least waste reachable only grows with i.
      const lowestWaste = Math.max(0, nextMax + prefixMax[i + 1 + after]! - prefixMax[i + 1]! - party);
      if (!allowed(lowestWaste, k)) break;
      chosen.push(i);
      visit(k, i + 1, nextMin, nextMax);
      chosen.pop();
    }
  };

  let lowestMins = 0;
  for (let k = 1; k <= n; k++) {
    if (exhausted()) break;
    lowestMins += minsAscending[k - 1]!;
    if (lowestMins > party) break;
    if (!allowed(0, k)) break;
    if (topMax(k) < party) continue;
    visit(k, 0, 0, 0);
  }
  return best;
}

function choiceOf(ctx: Context, state: State, booking: Booking, tables: readonly number[]): Choice {
  let sumMax = 0;
  for (const t of tables) sumMax += ctx.tables[t]!.max;
  const gaps = combineChanges(tables.map((t) => gapChange(state.slots[t]!, booking.start, booking.end, ctx.windows)));
  return { tables: [...tables], waste: sumMax - booking.party, gaps };
}

/** Moves one booking at a time while a move strictly improves the day; ends at a fixpoint or after maxPasses. */
function localSearch(ctx: Context, state: State): void {
  for (let pass = 0; pass < ctx.maxPasses; pass++) {
    let moved = false;
    for (const b of ctx.order) {
      const booking = ctx.bookings[b]!;
      const current = state.assign[b]!;
      lift(state, b);
      const stay = choiceOf(ctx, state, booking, current);
      const best = bestChoice(ctx, state, booking, stay.waste, current.length);
      if (best && compareChoices(best, stay, false) < 0) {
        place(state, b, booking, best.tables);
        moved = true;
      } else {
        place(state, b, booking, current);
      }
    }
    if (!moved) return;
  }
}

/** Every movable booking placed anew, in order, on its best free set; null if one finds none. */
function greedy(ctx: Context, initial: State): State | null {
  const state = cloneState(initial);
  for (const b of ctx.order) lift(state, b);
  for (const b of ctx.order) {
    const booking = ctx.bookings[b]!;
    // Blind to the input tables on purpose: the rebuild of a repacked day is the same
    // rebuild, which makes repacking idempotent (once the local search has converged).
    const best = bestChoice(ctx, state, booking, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    if (!best) return null;
    place(state, b, booking, best.tables);
  }
  return state;
}

function totalWaste(ctx: Context, state: State, includePinned: boolean): number {
  let waste = 0;
  ctx.bookings.forEach((booking, b) => {
    if (booking.pinned && !includePinned) return;
    let sumMax = 0;
    for (const t of state.assign[b]!) sumMax += ctx.tables[t]!.max;
    waste += sumMax - booking.party;
  });
  return waste;
}

function tableCount(ctx: Context, state: State): number {
  let count = 0;
  for (const b of ctx.order) count += state.assign[b]!.length;
  return count;
}

function allGaps(ctx: Context, state: State): number[] {
  const lengths: number[] = [];
  for (const list of state.slots) {
    const busy = [...list].sort(compareSlots);
    for (const gap of freeGaps(ctx.windows, busy)) lengths.push(gap.end - gap.start);
  }
  return lengths;
}

function movedCount(ctx: Context, state: State, initial: State): number {
  let moved = 0;
  for (const b of ctx.order) if (!sameList(state.assign[b]!, initial.assign[b]!)) moved++;
  return moved;
}

/** < 0 when outcome `p` is better than `q` for the whole day. */
function compareOutcomes(ctx: Context, p: State, q: State, initial: State): number {
  const wasteP = totalWaste(ctx, p, false);
  const wasteQ = totalWaste(ctx, q, false);
  if (wasteP !== wasteQ) return wasteP < wasteQ ? -1 : 1;
  const countDiff = tableCount(ctx, p) - tableCount(ctx, q);
  if (countDiff !== 0) return countDiff;
  const gaps = compareGapMultisets(allGaps(ctx, q), allGaps(ctx, p));
  if (gaps !== 0) return gaps;
  return movedCount(ctx, p, initial) - movedCount(ctx, q, initial);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
