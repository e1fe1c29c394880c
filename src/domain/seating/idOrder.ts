/**
 * The last tie-break of the WokiBrain order, table ids, made cheap for the search.
 * Each usable table gets its rank in id order (the default string sort, UTF-16 code
 * units, as `compareIds` compares), and a set of tables is a bitset over those ranks.
 * The search asks, at every tied step, whether a completion's ids come before the
 * worst kept seating's. Both sets have the same number of tables, so "the sorted id
 * lists compare lower" is "the smallest id in one set and not the other is ours":
 * the lowest bit of the two sets' XOR, a few machine words for a whole room.
 */
export class IdOrder {
  private readonly ranks: Map<string, number>;
  /** The ids in id order: idsInOrder[rank]. */
  private readonly idsInOrder: readonly string[];
  /** Words of 32 bits in a set. */
  readonly words: number;

  constructor(ids: readonly string[]) {
    this.idsInOrder = [...ids].sort();
    this.ranks = new Map(this.idsInOrder.map((id, rank) => [id, rank]));
    this.words = Math.max(1, Math.ceil(ids.length / 32));
  }

  rankOf(id: string): number {
    return this.ranks.get(id)!;
  }

  /** The ids of a set's ranks, in the order given. */
  idsAt(ranks: Int32Array): string[] {
    const ids = new Array<string>(ranks.length);
    for (let i = 0; i < ranks.length; i++) ids[i] = this.idsInOrder[ranks[i]!]!;
    return ids;
  }

  /** A set with no table yet. */
  emptySet(): Int32Array {
    return new Int32Array(this.words);
  }
}

export function addRank(set: Int32Array, rank: number, at = 0): void {
  set[at + (rank >>> 5)]! |= 1 << (rank & 31);
}

export function removeRank(set: Int32Array, rank: number): void {
  set[rank >>> 5]! &= ~(1 << (rank & 31));
}
