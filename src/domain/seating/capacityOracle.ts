import { hasSum, orShifted } from './sumBits.js';

/** Tables that seat the same range are interchangeable for capacity: the search counts them instead of naming them. */
export interface CapacityType {
  minSize: number;
  maxSize: number;
}

/** The least Σ minSize of a cell no choice reaches. */
export const UNREACHABLE = 0x7fffffff;

/** What the search asks of the tables free at a start (see `CapacityOracle`). */
export interface SeatingOracle {
  least(j: number, tables: number, sum: number): number;
  leastAtLeast(j: number, tables: number, sum: number): number;
}

/**
 * Which capacities a choice of tables can still reach, answered in O(1): for the
 * types `j..` (with `counts[j]` tables free of type j), the least Σ minSize of any
 * choice of exactly `r` tables whose Σ maxSize is `sum`. Sums at or above `cap`
 * share the last cell ("`cap` or more").
 *
 * It is a bounded knapsack over (tables, Σ maxSize), pseudo-polynomial in the party:
 * O(Σ log(counts[j]) × maxTables × cap) to build. The search asks it before every
 * step, so it never walks into a branch that cannot end in a seating: that, not
 * pruning heuristics, is what bounds the search when no combination exists or the
 * only ones are rare (subset-sum-like capacities).
 */
export class CapacityOracle implements SeatingOracle {
  private readonly width: number;
  private readonly rows: number;
  /**
   * Per layer j (the types j..) and table count r, only the cells that can matter:
   * Σ maxSize from `low` (below it the tables still to add could not lift a choice
   * to the party) to `high` (above it nothing is reachable). `shape` holds
   * [offset into `cells`, low, high] per (j, r); the cells of every layer share one
   * array, so a big party over few useful cells costs neither a full grid per type
   * nor an allocation per layer.
   */
  private readonly shape: Int32Array;
  private readonly cells: Int32Array;
  /** Suffix minima of `cells` (least Σ minSize at Σ maxSize ≥ sum), filled per layer when first asked. */
  private atLeastCells: Int32Array | undefined;
  private readonly atLeastDone: Uint8Array;

  constructor(
    types: readonly CapacityType[],
    counts: ArrayLike<number>,
    /** Largest table count asked about. */
    readonly maxTables: number,
    /** Σ maxSize a whole choice must reach (the party): cells that cannot lead there are skipped. */
    lowest: number,
    /** Σ maxSize is exact below this and lumped at it. */
    readonly cap: number,
    /** Choices whose Σ minSize exceeds this are dropped (the party size). */
    minBudget: number,
    /** A working grid to reuse: a search builds many oracles of the same shape. */
    scratch: Scratch = new Scratch(),
  ) {
    this.width = cap + 1;
    this.rows = maxTables + 1;
    const layers = types.length + 1;
    this.shape = new Int32Array(layers * this.rows * 3);
    this.atLeastDone = new Uint8Array(layers);
    const yetToAdd = new YetToAdd(types, counts);
    // A cell of r tables matters only if the tables not added yet, at most maxTables − r of them, can lift it to `lowest`.
    const usefulFrom = (j: number, left: number, r: number) => Math.max(0, lowest - yetToAdd.most(j, left, maxTables - r));

    // First pass, cells untouched: how far each row reaches, layer by layer, to size the packed array.
    const highest = new Int32Array(this.rows).fill(-1);
    highest[0] = 0;
    let length = this.recordShape(types.length, highest, usefulFrom, 0);
    for (let j = types.length - 1; j >= 0; j--) {
      forEachBundle(counts[j]!, (take) => reachWith(highest, take * types[j]!.maxSize, take, cap));
      length = this.recordShape(j, highest, usefulFrom, length);
    }
    this.cells = new Int32Array(length);

    // Second pass: one working grid, updated in place type by type (smallest first); each finished layer is packed away.
    const work = scratch.grid(this.rows * this.width);
    work[0] = 0;
    highest.fill(-1);
    highest[0] = 0;
    this.pack(types.length, work);
    for (let j = types.length - 1; j >= 0; j--) {
      let left = counts[j]!;
      forEachBundle(counts[j]!, (take) => {
        left -= take;
        const type = types[j]!;
        this.addBundle(work, highest, take, take * type.minSize, take * type.maxSize, minBudget, (r) => usefulFrom(j, left, r));
      });
      this.pack(j, work);
    }
  }

  private recordShape(j: number, highest: Int32Array, usefulFrom: (j: number, left: number, r: number) => number, offset: number): number {
    let length = offset;
    for (let r = 0; r < this.rows; r++) {
      const at = (j * this.rows + r) * 3;
      const low = usefulFrom(j, 0, r);
      this.shape[at] = length;
      this.shape[at + 1] = low;
      this.shape[at + 2] = highest[r]!;
      length += Math.max(0, highest[r]! - low + 1);
    }
    return length;
  }

  private addBundle(
    work: Int32Array,
    highest: Int32Array,
    tables: number,
    minSum: number,
    maxSum: number,
    minBudget: number,
    usefulFrom: (tables: number) => number,
  ): void {
    const { width, cap } = this;
    // Descending table counts: a source row is read before this bundle writes into it.
    for (let r = this.maxTables - tables; r >= 0; r--) {
      const top = highest[r]!;
      if (top < 0) continue;
      const from = r * width;
      const to = (r + tables) * width;
      for (let sum = Math.max(0, usefulFrom(r + tables) - maxSum); sum <= top; sum++) {
        const least = work[from + sum]!;
        if (least === UNREACHABLE) continue;
        const next = least + minSum;
        if (next > minBudget) continue;
        const target = to + Math.min(cap, sum + maxSum);
        if (next < work[target]!) work[target] = next;
      }
    }
    reachWith(highest, maxSum, tables, cap);
  }

  private pack(j: number, work: Int32Array): void {
    const { cells, shape, rows, width } = this;
    for (let r = 0; r < rows; r++) {
      const at = (j * rows + r) * 3;
      const offset = shape[at]!;
      const low = shape[at + 1]!;
      const length = shape[at + 2]! - low + 1;
      if (length <= 0) continue;
      const from = r * width + low;
      // Short rows by hand: a subarray view costs more than the few cells they hold.
      if (length > 32) cells.set(work.subarray(from, from + length), offset);
      else for (let i = 0; i < length; i++) cells[offset + i] = work[from + i]!;
    }
  }

  /**
   * Least Σ minSize of `tables` tables from types `j..` with Σ maxSize exactly `sum`
   * (`cap`: at least `cap`). The search only asks about cells a whole choice could
   * complete, which are the ones kept.
   */
  least(j: number, tables: number, sum: number): number {
    return this.lookup(this.cells, j, tables, sum);
  }

  /** Least Σ minSize of `tables` tables from types `j..` with Σ maxSize at least `sum`. */
  leastAtLeast(j: number, tables: number, sum: number): number {
    if (tables > this.maxTables) return UNREACHABLE;
    const cells = this.suffixMinima(j);
    const low = this.shape[(j * this.rows + tables) * 3 + 1]!;
    return this.lookup(cells, j, tables, Math.max(low, Math.min(this.cap, Math.max(0, sum))));
  }

  private lookup(cells: Int32Array, j: number, tables: number, sum: number): number {
    if (tables > this.maxTables) return UNREACHABLE;
    const at = (j * this.rows + tables) * 3;
    const low = this.shape[at + 1]!;
    if (sum < low || sum > this.shape[at + 2]!) return UNREACHABLE;
    return cells[this.shape[at]! + sum - low]!;
  }

  private suffixMinima(j: number): Int32Array {
    const cells = (this.atLeastCells ??= Int32Array.from(this.cells));
    if (this.atLeastDone[j]) return cells;
    for (let r = 0; r < this.rows; r++) {
      const at = (j * this.rows + r) * 3;
      const start = this.shape[at]!;
      const length = this.shape[at + 2]! - this.shape[at + 1]! + 1;
      for (let i = start + length - 2; i >= start; i--) cells[i] = Math.min(cells[i]!, cells[i + 1]!);
    }
    this.atLeastDone[j] = 1;
    return cells;
  }
}

/** A reusable working grid for oracle builds and `anyChoiceHolds`, handed back cleared to "unreachable". */
export class Scratch {
  private buffer = new Int32Array(0);

  grid(size: number): Int32Array {
    if (this.buffer.length < size) this.buffer = new Int32Array(size);
    const grid = this.buffer.subarray(0, size).fill(UNREACHABLE);
    return grid;
  }
}

export function isReachable(least: number, budget: number): boolean {
  return least !== UNREACHABLE && least <= budget;
}

/** After adding `tables` tables of Σ maxSize `maxSum`: the largest Σ maxSize each table count reaches. */
function reachWith(highest: Int32Array, maxSum: number, tables: number, cap: number): void {
  for (let r = highest.length - 1 - tables; r >= 0; r--) {
    if (highest[r]! >= 0) highest[r + tables] = Math.max(highest[r + tables]!, Math.min(cap, highest[r]! + maxSum));
  }
}

/**
 * The most Σ maxSize that `m` tables not yet added to the oracle can bring: while
 * layer j is built, those are every table of the types before j (all at least as
 * large) and the `left` tables of type j still to come.
 */
class YetToAdd {
  /** bestSums[m]: Σ maxSize of the m largest tables of all types. */
  private readonly bestSums: number[] = [0];
  private readonly before: number[] = [];

  constructor(
    private readonly types: readonly CapacityType[],
    counts: ArrayLike<number>,
  ) {
    types.forEach((type, j) => {
      this.before.push(this.bestSums.length - 1);
      for (let c = 0; c < counts[j]!; c++) this.bestSums.push(this.bestSums.at(-1)! + type.maxSize);
    });
    this.before.push(this.bestSums.length - 1);
  }

  most(j: number, left: number, m: number): number {
    const before = this.before[j]!;
    if (m <= before) return this.bestSums[Math.max(0, m)]!;
    if (left === 0) return this.bestSums[before]!;
    return this.bestSums[before]! + Math.min(m - before, left) * this.types[j]!.maxSize;
  }
}

/** Binary splitting: bundles of 1, 2, 4, … tables (the last one smaller) make every count up to `count` a 0/1 choice. */
function forEachBundle(count: number, add: (tables: number) => void): void {
  let left = count;
  for (let bundle = 1; left > 0; bundle *= 2) {
    const take = Math.min(bundle, left);
    left -= take;
    add(take);
  }
}

/**
 * Whether any choice of tables, of any count, has Σ minSize ≤ `minBudget` and Σ maxSize ≥ `lowest`:
 * one knapsack over Σ maxSize alone, O(Σ log(counts[j]) × cap). It answers "no
 * seating at all" before any per-count oracle is built; those cost `maxTables`
 * times more, and a party no choice can hold would otherwise build them all.
 */
export function anyChoiceHolds(
  types: readonly CapacityType[],
  counts: ArrayLike<number>,
  /** Σ maxSize must reach this (in the oracle's units). */
  lowest: number,
  cap: number,
  /** Σ minSize must stay within this. */
  minBudget: number,
  /** Seats in a unit of maxSize. */
  unit: number,
  scratch: Scratch = new Scratch(),
): boolean {
  const largestFirst = largestFirstChoice(types, counts, lowest);
  // Even every table together falls short; or the largest, as few as reach the party, keep within the budget.
  if (largestFirst.maxSum < lowest) return false;
  if (largestFirst.minSum <= minBudget) return true;
  if (types.every((type) => type.minSize === type.maxSize * unit)) return fixedSizesHold(types, counts, lowest, lowest * unit <= minBudget);
  const least = scratch.grid(cap + 1);
  least[0] = 0;
  let top = 0;
  types.forEach((type, j) =>
    forEachBundle(counts[j]!, (take) => {
      const minSum = take * type.minSize;
      const maxSum = take * type.maxSize;
      for (let sum = top; sum >= 0; sum--) {
        if (least[sum] === UNREACHABLE) continue;
        const next = least[sum]! + minSum;
        const target = Math.min(cap, sum + maxSum);
        if (next <= minBudget && next < least[target]!) least[target] = next;
      }
      top = Math.min(cap, top + maxSum);
    }),
  );
  for (let sum = lowest; sum <= cap; sum++) if (isReachable(least[sum]!, minBudget)) return true;
  return false;
}

/**
 * The largest tables first (types come largest first), as few as reach `lowest`,
 * or all of them: usually the answer without the knapsack, since only when their
 * minima are too high can a different choice be the one.
 */
function largestFirstChoice(types: readonly CapacityType[], counts: ArrayLike<number>, lowest: number): { maxSum: number; minSum: number } {
  let maxSum = 0;
  let minSum = 0;
  for (let j = 0; j < types.length && maxSum < lowest; j++) {
    const { minSize, maxSize } = types[j]!;
    const take = Math.min(counts[j]!, Math.ceil((lowest - maxSum) / maxSize));
    maxSum += take * maxSize;
    minSum += take * minSize;
  }
  return { maxSum, minSum };
}

/**
 * Tables that each seat exactly one number of guests: a choice holds the party
 * only if it seats exactly `lowest` units (more would break the minimum), so the
 * knapsack is a subset sum, one bit per sum, 32 sums a word.
 */
function fixedSizesHold(types: readonly CapacityType[], counts: ArrayLike<number>, lowest: number, withinBudget: boolean): boolean {
  if (!withinBudget) return false;
  const words = (lowest >>> 5) + 1;
  const reached = new Int32Array(words);
  reached[0] = 1;
  types.forEach((type, j) => forEachBundle(counts[j]!, (take) => orShifted(reached, 0, 0, words, take * type.maxSize, lowest)));
  return hasSum(reached, 0, lowest);
}
