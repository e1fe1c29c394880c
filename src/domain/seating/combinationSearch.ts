import { forEachMember, isEmptySet, type StartSet } from '../availability/startSet.js';
import { addRank, IdOrder, removeRank } from './idOrder.js';
import { anyChoiceHolds, CapacityOracle, isReachable, Scratch, type CapacityType, type SeatingOracle } from './capacityOracle.js';
import { FixedSizeOracle } from './fixedSizeOracle.js';
import { compareRanks, type SeatingRank, type StartPreference } from './candidateOrder.js';
import type { Steps } from './steps.js';

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
  /** Search steps allowed once a first answer is held: caps ties among equal seatings, never completeness. */
  nodeBudget?: number;
}

const DEFAULT_NODE_BUDGET = 20_000;

/**
 * Work between pauses, in units of about a microsecond: a search step, or a
 * thousand oracle cells. Counted, not timed (the domain has no clock), so that a
 * small search never pauses and a big one pauses every few milliseconds.
 */
const WORK_PER_PAUSE = 1_000;

/**
 * The best `limit` seatings (tables + start) in WokiBrain order, among every set of
 * tables whose capacity range holds the party and which share a free start.
 *
 * Three levels, each exact:
 *  1. Classes (tables, Σ maxSize) in order: the first two keys of the order. For each
 *     start, the tables free at it form a count per capacity type, and a
 *     `CapacityOracle` over those counts says which classes exist. Starts with the
 *     same counts share one oracle.
 *  2. Inside a class at one start: how many tables of each type, walked with the
 *     oracle so that every step leads to a seating (no dead ends, however rare the
 *     combinations are).
 *  3. Which tables of each type: a type's free tables, ordered by (flush, slack, id),
 *     make "the next ones in that order" the best completion of any partial choice,
 *     so the bound is exact and only choices that can still enter the top `limit` are
 *     walked.
 *
 * Cost: the oracles are pseudo-polynomial (types × tables × (party + largest table));
 * levels 2 and 3 visit at most `nodeBudget` steps after a first answer, and before
 * it only steps on a path to one. Completeness and the first answer never depend on
 * the budget; it only caps the ties walked for later places.
 *
 * The search pauses (yields) every `WORK_PER_PAUSE` units of work, between oracles
 * or counts walked. A party of hundreds over a big room takes longer than a server
 * should hold its event loop, so callers may let others run between.
 */
export function* searchSeatingsInSteps(tables: readonly SearchTable[], options: SearchOptions): Steps<FoundSeating[]> {
  const usable = tables.filter((table) => table.minSize <= options.partySize && !isEmptySet(table.free));
  if (usable.length === 0 || options.limit <= 0) return [];
  return yield* new SeatingSearch(usable, options).run();
}

interface TypeGroup extends CapacityType {
  tables: SearchTable[];
}

/** One type's free tables at one start, best first, with running sums for the exact bound. */
interface RankedTables {
  tables: SearchTable[];
  /** Each table's place among all usable tables in id order (see `IdOrder`). */
  idRanks: Int32Array;
  /** flushSums[c] = Σ flush of the first c tables; slackSums likewise. */
  flushSums: Float64Array;
  slackSums: Float64Array;
  /**
   * The first c tables as a set (see `IdOrder`), for every c: `idOrder.words` words
   * from c × words. Any run of tables c..d is the XOR of two of them.
   */
  prefixSets: Int32Array;
}

/** A seating kept by the search: its tables as ranks in id order, ascending, and as a set (see `IdOrder`). */
interface KeptSeating {
  rank: SeatingRank;
  idRanks: Int32Array;
  idSet: Int32Array;
  startIndex: number;
  minSize: number;
  maxSize: number;
}

/** Starts whose free tables have the same counts per type: they share an oracle. */
interface CountsGroup {
  counts: Int32Array;
  total: number;
  /** Fewest of these tables whose Σ maxSize reaches the party: no choice of fewer can seat it here (MAX_SAFE_INTEGER: none can). */
  fewest: number;
  startIndices: number[];
  oracle?: SeatingOracle;
  /** The table count `oracle` answers up to. */
  oracleTables: number;
}

class SeatingSearch {
  private readonly partySize: number;
  private readonly limit: number;
  private readonly starts: readonly number[];
  private readonly prefer: StartPreference;
  private readonly budget: number;
  private readonly types: TypeGroup[];
  /**
   * The oracles count Σ maxSize in units of the gcd of every maxSize: sums are only
   * ever multiples of it, and tables of 2, 4, 6… seats halve the oracles' size.
   */
  private readonly unit: number;
  /** The types with maxSize in `unit`s, for the oracles and the count walk. */
  private readonly scaled: CapacityType[];
  /** Every table seats one exact number of guests: the oracles keep reachable sums as bits (see `FixedSizeOracle`). */
  private readonly fixedSizes: boolean;
  /** Σ maxSize (in units) a seating must reach: the party, rounded up. */
  private readonly lowest: number;
  /** Σ maxSize (in units) below this is tracked exactly by the oracles (every fewest-table class lies below it). */
  private readonly cap: number;
  private groups: CountsGroup[];
  private readonly groupOfStart: (CountsGroup | undefined)[];
  private readonly rankedAt: ((RankedTables | undefined)[] | undefined)[];
  /**
   * The best seatings so far, in order. Tables are named by their rank in id order
   * (ascending, the same order as the ids themselves, see `IdOrder`), so that
   * comparing and keeping them costs no strings: a big party's seatings tie on
   * everything but ids, hold dozens of tables each and replace each other thousands
   * of times. Ids are put back once, for the answer (`found`).
   */
  private readonly best: KeptSeating[] = [];
  private readonly idOrder: IdOrder;
  private readonly scratch = new Scratch();
  private stepsAfterFirst = 0;
  private workSincePause = 0;
  /** The worst seating kept, as the order ranks it, once `limit` are kept: every step compares with it. */
  private worstRank: SeatingRank | undefined;
  /**
   * The level-2 walk's stack, per type: the count chosen, the tables, Σ maxSize and
   * Σ minSize budget left before it, and the next count to try (downwards, −1 once
   * all are). One set for the search: it walks one start at a time.
   */
  private readonly walkState: Record<'chosen' | 'tablesLeft' | 'maxLeft' | 'budget' | 'next', Int32Array>;

  constructor(usable: readonly SearchTable[], options: SearchOptions) {
    this.partySize = options.partySize;
    this.limit = options.limit;
    this.starts = options.starts;
    this.prefer = options.prefer;
    this.types = typesOf(usable);
    this.idOrder = new IdOrder(usable.map((table) => table.id));
    // The count walk has no dead ends: a seating costs at most a few steps per type, so the budget grows with the places asked for.
    this.budget = options.nodeBudget ?? Math.max(DEFAULT_NODE_BUDGET, 3 * options.limit * this.types.length);
    this.unit = this.types.reduce((g, type) => gcd(g, type.maxSize), 0);
    this.scaled = this.types.map((type) => ({ minSize: type.minSize, maxSize: type.maxSize / this.unit }));
    this.lowest = Math.ceil(this.partySize / this.unit);
    this.fixedSizes = this.types.every((type) => type.minSize === type.maxSize);
    this.cap = this.lowest + this.scaled[0]!.maxSize;
    this.groupOfStart = new Array<CountsGroup | undefined>(this.starts.length);
    this.rankedAt = new Array<(RankedTables | undefined)[] | undefined>(this.starts.length);
    this.groups = this.groupStarts();
    const depth = this.types.length + 1;
    this.walkState = {
      chosen: new Int32Array(depth),
      tablesLeft: new Int32Array(depth),
      maxLeft: new Int32Array(depth),
      budget: new Int32Array(depth),
      next: new Int32Array(depth),
    };
  }

  *run(): Steps<FoundSeating[]> {
    const { fewest, most } = this.tableCountRange();
    yield* this.dropGroupsThatCannotHold();
    if (fewest > most || this.groups.length === 0) return this.found();
    // The free tables of each start may need more tables than the whole sector does: no oracle is built for counts no start can seat.
    const fewestAnywhere = this.groups.reduce((least, group) => Math.min(least, group.fewest), most + 1);
    for (let k = Math.max(fewest, fewestAnywhere); k <= most; k++) {
      yield* this.ensureOracles(k);
      for (const { sum, startIndices } of this.classesWith(k)) {
        for (const startIndex of startIndices) {
          if (this.laterStartsCannotEnter(k, sum, startIndex)) break;
          yield* this.chooseCounts(startIndex, k, sum);
          if (this.exhausted()) return this.found();
        }
        // Every later class has more tables or more waste than anything kept.
        if (this.best.length === this.limit) return this.found();
      }
    }
    return this.found();
  }

  private found(): FoundSeating[] {
    return this.best.map(({ rank, idRanks, startIndex, minSize, maxSize }) => ({
      tableIds: this.idOrder.idsAt(idRanks),
      minSize,
      maxSize,
      waste: rank.waste,
      flush: rank.flush,
      slack: rank.slack,
      startIndex,
      start: rank.start,
    }));
  }

  /** Fewest tables whose largest maxima reach the party; most tables whose smallest minima stay under it. */
  private tableCountRange(): { fewest: number; most: number } {
    // Types come largest maxSize first (see `typesOf`): their tables, type by type, are the maxima in descending order.
    let fewest = 0;
    let seats = 0;
    for (const type of this.types) {
      if (seats >= this.partySize) break;
      const take = Math.min(type.tables.length, Math.ceil((this.partySize - seats) / type.maxSize));
      fewest += take;
      seats += take * type.maxSize;
    }
    if (seats < this.partySize) return { fewest: 1, most: 0 };
    let most = 0;
    seats = 0;
    for (const type of [...this.types].sort((a, b) => a.minSize - b.minSize)) {
      const take =
        type.minSize === 0 ? type.tables.length : Math.min(type.tables.length, Math.floor((this.partySize - seats) / type.minSize));
      most += take;
      seats += take * type.minSize;
      if (take < type.tables.length) break;
    }
    return { fewest: Math.max(1, fewest), most };
  }

  /** Starts whose free tables cannot hold the party, whatever their count, get no oracle (cheap; see `anyChoiceHolds`). */
  private *dropGroupsThatCannotHold(): Steps<void> {
    const kept: CountsGroup[] = [];
    for (const group of this.groups) {
      if (anyChoiceHolds(this.scaled, group.counts, this.lowest, this.cap, this.partySize, this.unit, this.scratch)) kept.push(group);
      if (this.pauseDue(((this.cap + 1) * this.types.length) / 1000)) yield;
    }
    this.groups = kept;
  }

  private groupStarts(): CountsGroup[] {
    const typeCount = this.types.length;
    const counts = new Int32Array(this.starts.length * typeCount);
    this.types.forEach((type, j) => {
      for (const table of type.tables) forEachMember(table.free, (i) => counts[i * typeCount + j]!++);
    });
    const byKey = new Map<string, CountsGroup>();
    let previous: CountsGroup | undefined;
    for (let i = 0; i < this.starts.length; i++) {
      const row = counts.subarray(i * typeCount, (i + 1) * typeCount);
      let total = 0;
      for (let j = 0; j < typeCount; j++) total += row[j]!;
      if (total === 0) continue;
      // Neighbouring starts mostly have the same free tables: the group of the start before is tried first, without a key.
      let group = previous && sameCounts(previous.counts, row) ? previous : undefined;
      if (!group) {
        const key = row.join(',');
        group = byKey.get(key);
        if (!group) {
          group = { counts: row, total, fewest: this.fewestToReach(row), startIndices: [], oracleTables: 0 };
          byKey.set(key, group);
        }
      }
      group.startIndices.push(i);
      this.groupOfStart[i] = group;
      previous = group;
    }
    return [...byKey.values()];
  }

  /**
   * Each group's oracle answers up to its `oracleTables` tables. Until a first
   * seating is found it allows exactly k: such an oracle keeps only the cells k
   * tables can lift to the party, and that tightness is what makes big parties
   * cheap. Once later places are being filled, it grows by half, so the rebuilds
   * stay within three times the last one however many counts the limit walks. A
   * group whose free tables need more than k gets none yet: on a busy floor most
   * starts need more tables than the sector as a whole, and building their oracles
   * count by count used to be most of a big party's search.
   */
  private *ensureOracles(k: number): Steps<void> {
    for (const group of this.groups) {
      if (k <= group.oracleTables || k < group.fewest || k > group.total) continue;
      group.oracleTables = this.best.length === 0 ? k : Math.max(k, Math.ceil(1.5 * group.oracleTables));
      const cells = (group.oracleTables + 1) * (this.cap + 1) * this.types.length;
      if (this.fixedSizes) {
        group.oracle = new FixedSizeOracle(this.scaled, group.counts, group.oracleTables, this.unit, this.partySize);
        if (this.pauseDue(cells / 32_000)) yield;
      } else {
        group.oracle = new CapacityOracle(
          this.scaled,
          group.counts,
          group.oracleTables,
          this.lowest,
          this.cap,
          this.partySize,
          this.scratch,
        );
        if (this.pauseDue(cells / 1000)) yield;
      }
    }
  }

  /** How many of a start's free tables, largest first, it takes for Σ maxSize (in units) to reach the party. */
  private fewestToReach(counts: Int32Array): number {
    let tables = 0;
    let sum = 0;
    for (let j = 0; j < this.scaled.length && sum < this.lowest; j++) {
      const size = this.scaled[j]!.maxSize;
      const take = Math.min(counts[j]!, Math.ceil((this.lowest - sum) / size));
      tables += take;
      sum += take * size;
    }
    return sum < this.lowest ? Number.MAX_SAFE_INTEGER : tables;
  }

  /** Every (k, Σ maxSize in units) class some start can seat, by Σ maxSize, each with its starts ascending. */
  private classesWith(k: number): { sum: number; startIndices: Int32Array }[] {
    const bySum = new Map<number, number[]>();
    for (const group of this.groups) {
      if (group.total < k || k < group.fewest) continue;
      for (let sum = this.lowest; sum <= this.cap; sum++) {
        if (!isReachable(group.oracle!.least(0, k, sum), this.partySize)) continue;
        const list = bySum.get(sum);
        if (list) list.push(...group.startIndices);
        else bySum.set(sum, [...group.startIndices]);
      }
    }
    return [...bySum.entries()]
      .sort(([a], [b]) => a - b)
      .map(([sum, startIndices]) => ({ sum, startIndices: new Int32Array(startIndices).sort() }));
  }

  /** Under `earliest`, a full list whose worst has this class and an earlier start beats every later start. */
  private laterStartsCannotEnter(k: number, sum: number, startIndex: number): boolean {
    if (this.prefer !== 'earliest' || this.best.length < this.limit) return false;
    const worst = this.best[this.limit - 1]!;
    return worst.rank.tableCount === k && worst.maxSize === sum * this.unit && worst.startIndex < startIndex;
  }

  /**
   * Level 2: how many tables of each type. `sum` below the cap is the exact Σ maxSize
   * (in units) asked for; at the cap it means "at least the cap".
   */
  private *chooseCounts(startIndex: number, k: number, sum: number): Steps<void> {
    const group = this.groupOfStart[startIndex]!;
    const oracle = group.oracle!;
    const atLeast = sum === this.cap;
    const { chosen, tablesLeft, maxLeft, budget, next } = this.walkState;
    chosen.fill(0);
    // The types with a count above zero, in order: level 3 walks only those.
    const used: number[] = [];
    // Depth-first over the types with a stack of arrays, not recursion: the search may pause after any
    // count whose tables it walked (level 3), and a generator per level would cost an object per step.
    const types = this.types.length;
    tablesLeft[0] = k;
    maxLeft[0] = sum;
    budget[0] = this.partySize;
    next[0] = Math.min(group.counts[0]!, k);
    let j = 0;
    /** Back up one type, undoing its count; false when the walk is over (every count tried, or the budget spent). */
    const back = (): boolean => {
      if (j === 0) return false;
      j--;
      if (chosen[j]! > 0) used.pop();
      chosen[j] = 0;
      return !this.exhausted();
    };
    for (;;) {
      if (j === types) {
        if (tablesLeft[j] === 0 && (atLeast ? maxLeft[j]! <= 0 : maxLeft[j] === 0)) {
          this.chooseTables(startIndex, chosen, used, k);
          if (this.pauseDue(0)) yield;
        }
        if (!back()) return;
        continue;
      }
      if (next[j]! < 0) {
        if (!back()) return;
        continue;
      }
      const c = next[j]!--;
      this.step();
      const type = this.scaled[j]!;
      const restTables = tablesLeft[j]! - c;
      const restMax = maxLeft[j]! - c * type.maxSize;
      const restBudget = budget[j]! - c * type.minSize;
      if (restBudget < 0 || (!atLeast && restMax < 0)) continue;
      const least = atLeast ? oracle.leastAtLeast(j + 1, restTables, restMax) : oracle.least(j + 1, restTables, restMax);
      if (!isReachable(least, restBudget)) continue;
      chosen[j] = c;
      if (c > 0) used.push(j);
      j++;
      tablesLeft[j] = restTables;
      maxLeft[j] = restMax;
      budget[j] = restBudget;
      if (j < types) next[j] = Math.min(group.counts[j]!, restTables);
    }
  }

  /** Level 3: which tables of each type, best completions first, cut by the exact bound. */
  private chooseTables(startIndex: number, counts: Int32Array, used: readonly number[], k: number): void {
    const ranked = this.rankedTablesAt(startIndex, used);
    const minSize = used.reduce((sum, j) => sum + counts[j]! * this.types[j]!.minSize, 0);
    const maxSize = used.reduce((sum, j) => sum + counts[j]! * this.types[j]!.maxSize, 0);
    // laterFlush[t] = Σ over the used types after t of their best counts[j] tables' flush; laterSlack likewise.
    const laterFlush = new Float64Array(used.length + 1);
    const laterSlack = new Float64Array(used.length + 1);
    for (let t = used.length - 1; t >= 0; t--) {
      const j = used[t]!;
      laterFlush[t] = laterFlush[t + 1]! + ranked[j]!.flushSums[counts[j]!]!;
      laterSlack[t] = laterSlack[t + 1]! + ranked[j]!.slackSums[counts[j]!]!;
    }
    const rank: SeatingRank = { tableCount: k, waste: maxSize - this.partySize, flush: 0, start: this.starts[startIndex]!, slack: 0 };
    const pickedRanks: number[] = [];
    // The same tables as sets: those picked, and laterSets[t]: the best tables of the used types from t on.
    const { words } = this.idOrder;
    const pickedSet = this.idOrder.emptySet();
    const laterSets = new Int32Array((used.length + 1) * words);
    for (let t = used.length - 1; t >= 0; t--) {
      const { prefixSets } = ranked[used[t]!]!;
      const best = counts[used[t]!]! * words;
      for (let w = 0; w < words; w++) laterSets[t * words + w] = laterSets[(t + 1) * words + w]! | prefixSets[best + w]!;
    }
    /** Whether picking tables from..from+left−1 of type t, then the best of the later types, sorts before the worst kept on ids. */
    const beatsWorstOnIds = (t: number, from: number, left: number): boolean => {
      const worst = this.best[this.limit - 1]!.idSet;
      const { prefixSets } = ranked[used[t]!]!;
      const upTo = (from + left) * words;
      const before = from * words;
      const later = (t + 1) * words;
      for (let w = 0; w < words; w++) {
        const ours = pickedSet[w]! | (prefixSets[upTo + w]! ^ prefixSets[before + w]!) | laterSets[later + w]!;
        const differ = ours ^ worst[w]!;
        // The lowest table in exactly one of the two sets: ours or theirs decides.
        if (differ !== 0) return (ours & differ & -differ) !== 0;
      }
      return false;
    };

    const walk = (t: number, from: number, left: number, flush: number, slack: number): void => {
      if (left === 0) {
        if (t + 1 === used.length) {
          const idRanks = new Int32Array(pickedRanks).sort();
          this.offer({ rank: { ...rank, flush, slack }, idRanks, idSet: pickedSet.slice(), startIndex, minSize, maxSize });
          return;
        }
        walk(t + 1, 0, counts[used[t + 1]!]!, flush, slack);
        return;
      }
      const { tables, idRanks, flushSums, slackSums } = ranked[used[t]!]!;
      for (let q = from; q <= tables.length - left; q++) {
        this.step();
        // Picking q, then the next left − 1 of this type and the best of the later types: the best this branch can do.
        rank.flush = flush + flushSums[q + left]! - flushSums[q]! + laterFlush[t + 1]!;
        rank.slack = slack + slackSums[q + left]! - slackSums[q]! + laterSlack[t + 1]!;
        // Later q only swap in tables that rank lower: once a branch cannot enter, none after it can.
        if (this.best.length === this.limit) {
          const byRank = compareRanks(rank, this.worstRank!, this.prefer);
          if (byRank > 0 || (byRank === 0 && !beatsWorstOnIds(t, q, left))) break;
        }
        const table = tables[q]!;
        pickedRanks.push(idRanks[q]!);
        addRank(pickedSet, idRanks[q]!);
        walk(t, q + 1, left - 1, flush + table.flush[startIndex]!, slack + table.slack[startIndex]!);
        pickedRanks.pop();
        removeRank(pickedSet, idRanks[q]!);
        if (this.exhausted()) return;
      }
    };
    walk(0, 0, counts[used[0]!]!, 0, 0);
  }

  /** Keeps a seating among the best `limit`, in order, placed by binary search. */
  private offer(seating: KeptSeating): void {
    const { best, limit } = this;
    if (best.length === limit && this.compareWithKept(seating, limit - 1) >= 0) return;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compareWithKept(seating, mid) < 0) high = mid;
      else low = mid + 1;
    }
    best.splice(low, 0, seating);
    if (best.length > limit) best.pop();
    if (best.length === limit) this.worstRank = best[limit - 1]!.rank;
  }

  private compareWithKept({ rank, idRanks }: KeptSeating, at: number): number {
    const other = this.best[at]!;
    return compareRanks(rank, other.rank, this.prefer) || compareIdRanks(idRanks, other.idRanks);
  }

  /** Per type, its tables free at the start, best first; made for a type the first time a seating at the start uses it. */
  private rankedTablesAt(startIndex: number, used: readonly number[]): (RankedTables | undefined)[] {
    const ranked = (this.rankedAt[startIndex] ??= new Array<RankedTables | undefined>(this.types.length));
    for (const j of used) ranked[j] ??= this.rankTables(this.types[j]!, startIndex);
    return ranked;
  }

  private rankTables(type: TypeGroup, startIndex: number): RankedTables {
    const word = startIndex >>> 5;
    const bit = 1 << (startIndex & 31);
    const tables: SearchTable[] = [];
    for (const table of type.tables) if ((table.free[word]! & bit) !== 0) tables.push(table);
    tables.sort(
      (a, b) => b.flush[startIndex]! - a.flush[startIndex]! || a.slack[startIndex]! - b.slack[startIndex]! || (a.id < b.id ? -1 : 1),
    );
    const idRanks = new Int32Array(tables.length);
    const flushSums = new Float64Array(tables.length + 1);
    const slackSums = new Float64Array(tables.length + 1);
    const { words } = this.idOrder;
    const prefixSets = new Int32Array((tables.length + 1) * words);
    for (let q = 0; q < tables.length; q++) {
      const table = tables[q]!;
      idRanks[q] = this.idOrder.rankOf(table.id);
      flushSums[q + 1] = flushSums[q]! + table.flush[startIndex]!;
      slackSums[q + 1] = slackSums[q]! + table.slack[startIndex]!;
      prefixSets.copyWithin((q + 1) * words, q * words, (q + 1) * words);
      addRank(prefixSets, idRanks[q]!, (q + 1) * words);
    }
    return { tables, idRanks, flushSums, slackSums, prefixSets };
  }

  private step(): void {
    this.workSincePause++;
    if (this.best.length > 0) this.stepsAfterFirst++;
  }

  /** Counts `work` done; true when enough has been since the last pause to pause again. */
  private pauseDue(work: number): boolean {
    this.workSincePause += work;
    if (this.workSincePause < WORK_PER_PAUSE) return false;
    this.workSincePause = 0;
    return true;
  }

  private exhausted(): boolean {
    return this.best.length > 0 && this.stepsAfterFirst > this.budget;
  }
}

/** Tables grouped by (minSize, maxSize), largest first: the count walk tries few big tables before many small ones. */
function typesOf(tables: readonly SearchTable[]): TypeGroup[] {
  const byRange = new Map<string, TypeGroup>();
  for (const table of tables) {
    const key = `${table.minSize}-${table.maxSize}`;
    const group = byRange.get(key);
    if (group) group.tables.push(table);
    else byRange.set(key, { minSize: table.minSize, maxSize: table.maxSize, tables: [table] });
  }
  return [...byRange.values()].sort((a, b) => b.maxSize - a.maxSize || a.minSize - b.minSize);
}

/** Sorted id-rank lists compare as the sorted id lists do (same length within a class; shorter first otherwise). */
function compareIdRanks(a: Int32Array, b: Int32Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function sameCounts(a: Int32Array, b: Int32Array): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
