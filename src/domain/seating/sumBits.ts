/**
 * Sets of sums as bits, 32 sums a word: bit s of a row says sum s is reached.
 * What the exact-size searches share (`anyChoiceHolds`, `FixedSizeOracle`).
 */

/**
 * Adds `shift` to every sum of the `words`-word row at `source` and ORs the result
 * into the row at `target` (the same row or another), keeping sums up to `highest`.
 * From the top word down, so that a row shifted into itself reads each word before
 * this shift writes it.
 */
export function orShifted(bits: Int32Array, target: number, source: number, words: number, shift: number, highest: number): void {
  if (shift > highest) return;
  const wordShift = shift >>> 5;
  const bitShift = shift & 31;
  for (let w = words - 1; w >= wordShift; w--) {
    const from = source + w - wordShift;
    const low = bitShift > 0 && w - wordShift > 0 ? bits[from - 1]! >>> (32 - bitShift) : 0;
    bits[target + w] = bits[target + w]! | (bits[from]! << bitShift) | low;
  }
  // Sums past `highest` are never reached: cleared, so that no answer finds one.
  const spare = (highest & 31) + 1;
  if (spare < 32) bits[target + words - 1] = bits[target + words - 1]! & ((1 << spare) - 1);
}

/** Whether sum `s` is in the row at `at`. */
export function hasSum(bits: Int32Array, at: number, s: number): boolean {
  return (bits[at + (s >>> 5)]! & (1 << (s & 31))) !== 0;
}
