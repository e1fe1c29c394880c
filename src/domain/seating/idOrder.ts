/**
 * The last tie-break of the WokiBrain order, table ids, made cheap for the search:
 * it asks, at every tied step, whether a completion's ids come before the worst kept
 * seating's. Both sets have the same number of tables, so "the sorted id lists
 * compare lower" is "the smallest id in one set and not the other is ours": no list
 * to build or sort, one pass over each set, ids replaced by their place in id order.
 */
export class IdOrder {
  private readonly ranks: Map<string, number>;
  /** Tables of the worst seating compared last, by id rank. */
  private readonly inWorst: Uint8Array;
  private worstRanks: Int32Array = new Int32Array(0);
  /** Tables of the completion being compared: seen[rank] === stamp. */
  private readonly seen: Int32Array;
  private stamp = 0;
  private smallestOursOnly = Number.POSITIVE_INFINITY;

  /** The ids in id order: idsInOrder[rank]. */
  private readonly idsInOrder: readonly string[];

  constructor(ids: readonly string[]) {
    // The default sort orders by UTF-16 code units, as compareIds does.
    this.idsInOrder = [...ids].sort();
    this.ranks = new Map(this.idsInOrder.map((id, rank) => [id, rank]));
    this.inWorst = new Uint8Array(ids.length);
    this.seen = new Int32Array(ids.length);
  }

  rankOf(id: string): number {
    return this.ranks.get(id)!;
  }

  idAt(rank: number): string {
    return this.idsInOrder[rank]!;
  }

  /** Starts comparing a completion, to be given by `add`, with the seating whose tables have these id ranks. */
  begin(worstRanks: Int32Array): this {
    if (worstRanks !== this.worstRanks) {
      for (const rank of this.worstRanks) this.inWorst[rank] = 0;
      for (const rank of worstRanks) this.inWorst[rank] = 1;
      this.worstRanks = worstRanks;
    }
    this.stamp++;
    this.smallestOursOnly = Number.POSITIVE_INFINITY;
    return this;
  }

  add(rank: number): void {
    this.seen[rank] = this.stamp;
    if (this.inWorst[rank] === 0 && rank < this.smallestOursOnly) this.smallestOursOnly = rank;
  }

  /** Whether the completion's sorted ids compare below the worst's (equal sets do not). */
  beatsWorst(): boolean {
    let smallestTheirsOnly = Number.POSITIVE_INFINITY;
    for (const rank of this.worstRanks) if (this.seen[rank] !== this.stamp && rank < smallestTheirsOnly) smallestTheirsOnly = rank;
    return this.smallestOursOnly < smallestTheirsOnly;
  }
}
