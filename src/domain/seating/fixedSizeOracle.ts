import { UNREACHABLE, type CapacityType, type SeatingOracle } from './capacityOracle.js';

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
        for (let r = maxTables - take; r >= 0; r--) this.orShifted(this.rowAt(j, r + take), this.rowAt(j, r), take * size, highest);
      }
    }
  }

  /** Least Σ minSize of `tables` tables from types `j..` with Σ maxSize exactly `sum`, as `CapacityOracle.least`. */
  least(j: number, tables: number, sum: number): number {
    if (tables > this.maxTables || sum < 0 || sum >= this.words * 32) return UNREACHABLE;
    const at = this.rowAt(j, tables);
    return (this.bits[at + (sum >>> 5)]! & (1 << (sum & 31))) !== 0 ? sum * this.unit : UNREACHABLE;
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

  /** target |= source << shift, keeping bits up to `highest`. */
  private orShifted(target: number, source: number, shift: number, highest: number): void {
    if (shift > highest) return;
    const { bits, words } = this;
    const wordShift = shift >>> 5;
    const bitShift = shift & 31;
    // From the top down: within one row pair, target and source never overlap (different rows).
    for (let w = words - 1; w >= wordShift; w--) {
      const from = source + w - wordShift;
      const low = bitShift > 0 && w - wordShift > 0 ? bits[from - 1]! >>> (32 - bitShift) : 0;
      bits[target + w] = bits[target + w]! | (bits[from]! << bitShift) | low;
    }
    // Sums past `highest` would break the budget: cleared, so that no answer ever finds one.
    const spare = (highest & 31) + 1;
    if (spare < 32) bits[target + words - 1] = bits[target + words - 1]! & ((1 << spare) - 1);
  }
}
