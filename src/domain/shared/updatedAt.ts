/**
 * The one rule for `updatedAt`: it moves on with every mutation, even when two
 * mutations fall in the same millisecond or the clock steps back a little.
 */
export function nextUpdatedAt(entity: { updatedAt: number }, at: number): number {
  return Math.max(at, entity.updatedAt + 1);
}
