/** Tables that seat the same range are interchangeable for capacity: the search counts them instead of naming them. */
export interface CapacityType {
  minSize: number;
  maxSize: number;
}

const UNREACHABLE = 0x7fffffff;

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
export class CapacityOracle {
  private readonly width: number;
  /**
   * Per layer j (the types j..), per table count r, only the cells that can matter:
   * Σ maxSize from rowLow (below it the tables still to add could not lift a choice
   * to the party) to rowHigh (above it nothing is reachable). Kept packed, so that a
   * big party over few useful cells does not cost a full grid per type.
   */
  private readonly cells: Int32Array[];
  private readonly rowStart: Int32Array[];
  private readonly rowLow: Int32Array[];
  private readonly rowHigh: Int32Array[];
  private readonly atLeastCells: (Int32Array | undefined)[];

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
  ) {
    this.width = cap + 1;
    const layerCount = types.length + 1;
    this.cells = new Array<Int32Array>(layerCount);
    this.rowStart = new Array<Int32Array>(layerCount);
    this.rowLow = new Array<Int32Array>(layerCount);
    this.rowHigh = new Array<Int32Array>(layerCount);
    this.atLeastCells = new Array<Int32Array | undefined>(layerCount);
    // One working grid, updated in place type by type (smallest first); each finished layer is packed away.
    const work = new Int32Array((maxTables + 1) * this.width).fill(UNREACHABLE);
    work[0] = 0;
    // highest[r]: the largest Σ maxSize any r tables reach so far; the cells above it are unreachable, so never scanned.
    const highest = new Int32Array(maxTables + 1).fill(-1);
    highest[0] = 0;
    const yetToAdd = new YetToAdd(types, counts);
    // A cell of r tables matters only if the tables not added yet, at most maxTables − r of them, can lift it to `lowest`.
    const usefulFrom = (j: number, left: number, r: number) => Math.max(0, lowest - yetToAdd.most(j, left, maxTables - r));
    this.pack(types.length, work, highest, (r) => usefulFrom(types.length, 0, r));
    for (let j = types.length - 1; j >= 0; j--) {
      let left = counts[j]!;
      forEachBundle(counts[j]!, (take) => {
        left -= take;
        const type = types[j]!;
        this.addBundle(work, highest, take, take * type.minSize, take * type.maxSize, minBudget, (r) => usefulFrom(j, left, r));
      });
      this.pack(j, work, highest, (r) => usefulFrom(j, 0, r));
    }
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
      highest[r + tables] = Math.max(highest[r + tables]!, Math.min(cap, top + maxSum));
    }
  }

  private pack(j: number, work: Int32Array, highest: Int32Array, usefulFrom: (tables: number) => number): void {
    const rows = this.maxTables + 1;
    const rowStart = new Int32Array(rows);
    const rowLow = new Int32Array(rows);
    const rowHigh = new Int32Array(rows);
    let length = 0;
    for (let r = 0; r < rows; r++) {
      rowStart[r] = length;
      rowLow[r] = usefulFrom(r);
      rowHigh[r] = highest[r]!;
      length += Math.max(0, rowHigh[r]! - rowLow[r]! + 1);
    }
    const cells = new Int32Array(length);
    for (let r = 0; r < rows; r++) {
      if (rowHigh[r]! < rowLow[r]!) continue;
      const from = r * this.width;
      cells.set(work.subarray(from + rowLow[r]!, from + rowHigh[r]! + 1), rowStart[r]);
    }
    this.cells[j] = cells;
    this.rowStart[j] = rowStart;
    this.rowLow[j] = rowLow;
    this.rowHigh[j] = rowHigh;
  }

  /**
   * Least Σ minSize of `tables` tables from types `j..` with Σ maxSize exactly `sum`
   * (`cap`: at least `cap`). The search only asks about cells a whole choice could
   * complete, which are the ones kept.
   */
  least(j: number, tables: number, sum: number): number {
    return this.lookup(this.cells[j]!, j, tables, sum);
  }

  /** Least Σ minSize of `tables` tables from types `j..` with Σ maxSize at least `sum`. */
  leastAtLeast(j: number, tables: number, sum: number): number {
    if (tables > this.maxTables) return UNREACHABLE;
    const cells = this.atLeastCells[j] ?? this.suffixMinima(j);
    return this.lookup(cells, j, tables, Math.max(this.rowLow[j]![tables]!, Math.min(this.cap, Math.max(0, sum))));
  }

  private lookup(cells: Int32Array, j: number, tables: number, sum: number): number {
    if (tables > this.maxTables || sum < this.rowLow[j]![tables]! || sum > this.rowHigh[j]![tables]!) return UNREACHABLE;
    return cells[this.rowStart[j]![tables]! + sum - this.rowLow[j]![tables]!]!;
  }

  private suffixMinima(j: number): Int32Array {
    const cells = Int32Array.from(this.cells[j]!);
    for (let r = 0; r <= this.maxTables; r++) {
      const start = this.rowStart[j]![r]!;
      const length = this.rowHigh[j]![r]! - this.rowLow[j]![r]! + 1;
      for (let at = start + length - 2; at >= start; at--) cells[at] = Math.min(cells[at]!, cells[at + 1]!);
    }
    this.atLeastCells[j] = cells;
    return cells;
  }
}

export function isReachable(least: number, budget: number): boolean {
  return least !== UNREACHABLE && least <= budget;
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
): boolean {
  const least = new Int32Array(cap + 1).fill(UNREACHABLE);
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
