import { UNREACHABLE, type CapacityType, type SeatingOracle } from './capacityOracle.js';
import { hasSum, orShifted } from './sumBits.js';

/**
 * `CapacityOracle`'s answers when every table seats one exact number of guests
 * (minSize = maxSize): a choice's Σ minSize is then its Σ maxSize in seats, so the
 * only question left is which sums each table count reaches — one bit per sum,
 * 32 sums a word, instead of a least Σ minSize per cell. Sums whose seats exceed
 * the budget can never be part of a seating and are not kept.
 */
export class FixedSizeOracle implements SeatingOracle {
  private readonly rows: number;
  private readonly words: number;
  /** Bit s of row (j, r): some r tables of the types j.. sum to s units. */
  private readonly bits: Int32Array;

  constructor(
    types: readonly CapacityType[],
    counts: ArrayLike<number>,
    /** Largest table count asked about. */
    readonly maxTables: number,
    /** Seats in a unit of maxSize. */
    private readonly unit: number,
    /** Σ minSize (seats) a choice may reach: the party. */
    minBudget: number,
  ) {
    const highest = Math.floor(minBudget / unit);
    this.rows = maxTables + 1;
    this.words = (highest >>> 5) + 1;
    const layers = types.length + 1;
    this.bits = new Int32Array(layers * this.rows * this.words);
    // No types: zero tables sum to zero.
    this.bits[this.rowAt(types.length, 0)] = 1;
    for (let j = types.length - 1; j >= 0; j--) {
      // The types j.. reach what the types j + 1.. reach, and more with tables of type j, a bundle at a time.
      this.bits.copyWithin(this.rowAt(j, 0), this.rowAt(j + 1, 0), this.rowAt(j + 2, 0));
      const size = types[j]!.maxSize;
      for (let left = counts[j]!, bundle = 1; left > 0; bundle *= 2) {
        const take = Math.min(bundle, left);
        left -= take;
        // Descending counts: a source row is read before this bundle writes into it.
        for (let r = maxTables - take; r >= 0; r--)
          orShifted(this.bits, this.rowAt(j, r + take), this.rowAt(j, r), this.words, take * size, highest);
      }
    }
  }

  /** Least Σ minSize of `tables` tables from types `j..` with Σ maxSize exactly `sum`, as `CapacityOracle.least`. */
  least(j: number, tables: number, sum: number): number {
    if (tables > this.maxTables || sum < 0 || sum >= this.words * 32) return UNREACHABLE;
    return hasSum(this.bits, this.rowAt(j, tables), sum) ? sum * this.unit : UNREACHABLE;
  }

  /** Least Σ minSize with Σ maxSize at least `sum`: the smallest sum reached from there. */
  leastAtLeast(j: number, tables: number, sum: number): number {
    if (tables > this.maxTables) return UNREACHABLE;
    const at = this.rowAt(j, tables);
    for (let s = Math.max(0, sum); s < this.words * 32;) {
      const word = this.bits[at + (s >>> 5)]! >>> (s & 31);
      if (word !== 0) return (s + 31 - Math.clz32(word & -word)) * this.unit;
      s = ((s >>> 5) + 1) * 32;
    }
    return UNREACHABLE;
  }

  private rowAt(j: number, tables: number): number {
    return (j * this.rows + tables) * this.words;
  }
}
