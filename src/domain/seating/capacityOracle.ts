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
  private readonly layers: Int32Array[];
  private readonly atLeastLayers: (Int32Array | undefined)[];

  constructor(
    types: readonly CapacityType[],
    counts: ArrayLike<number>,
    /** Largest table count asked about. */
    readonly maxTables: number,
    /** Σ maxSize is exact below this and lumped at it. */
    readonly cap: number,
    /** Choices whose Σ minSize exceeds this are dropped (the party size). */
    minBudget: number,
  ) {
    this.width = cap + 1;
    const size = (maxTables + 1) * this.width;
    const last = new Int32Array(size).fill(UNREACHABLE);
    last[0] = 0;
    this.layers = new Array<Int32Array>(types.length + 1);
    this.layers[types.length] = last;
    for (let j = types.length - 1; j >= 0; j--) {
      const layer = Int32Array.from(this.layers[j + 1]!);
      // Binary splitting: bundles of 1, 2, 4, … tables make every count up to counts[j] a 0/1 choice.
      let left = counts[j]!;
      for (let bundle = 1; left > 0; bundle *= 2) {
        const take = Math.min(bundle, left);
        left -= take;
        this.addBundle(layer, take, take * types[j]!.minSize, take * types[j]!.maxSize, minBudget);
      }
      this.layers[j] = layer;
    }
    this.atLeastLayers = new Array<Int32Array | undefined>(types.length + 1);
  }

  private addBundle(layer: Int32Array, tables: number, minSum: number, maxSum: number, minBudget: number): void {
    const { width, cap } = this;
    // Descending table counts: a source row is read before this bundle writes into it.
    for (let r = this.maxTables - tables; r >= 0; r--) {
      const from = r * width;
      const to = (r + tables) * width;
      for (let sum = 0; sum <= cap; sum++) {
        const least = layer[from + sum]!;
        if (least === UNREACHABLE) continue;
        const next = least + minSum;
        if (next > minBudget) continue;
        const target = to + Math.min(cap, sum + maxSum);
        if (next < layer[target]!) layer[target] = next;
      }
    }
  }

  /** Least Σ minSize of `tables` tables from types `j..` with Σ maxSize exactly `sum` (`cap`: at least `cap`). */
  least(j: number, tables: number, sum: number): number {
    if (tables > this.maxTables || sum < 0 || sum > this.cap) return UNREACHABLE;
    return this.layers[j]![tables * this.width + sum]!;
  }

  /** Least Σ minSize of `tables` tables from types `j..` with Σ maxSize at least `sum`. */
  leastAtLeast(j: number, tables: number, sum: number): number {
    if (tables > this.maxTables) return UNREACHABLE;
    const layer = this.atLeastLayers[j] ?? this.suffixMinima(j);
    return layer[tables * this.width + Math.min(this.cap, Math.max(0, sum))]!;
  }

  private suffixMinima(j: number): Int32Array {
    const layer = Int32Array.from(this.layers[j]!);
    for (let r = 0; r <= this.maxTables; r++) {
      const row = r * this.width;
      for (let sum = this.cap - 1; sum >= 0; sum--) layer[row + sum] = Math.min(layer[row + sum]!, layer[row + sum + 1]!);
    }
    this.atLeastLayers[j] = layer;
    return layer;
  }
}

export function isReachable(least: number, budget: number): boolean {
  return least !== UNREACHABLE && least <= budget;
}
