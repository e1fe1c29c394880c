/**
 * Answers kept with the sector revision they were computed at, served only while
 * the revision is unchanged. Callers read the revision before the state, so a hit
 * is never older than the last committed change. Least recently used entries go
 * first; a capacity of 0 keeps nothing.
 */
export class RevisionCache<T> {
  private readonly entries = new Map<string, { revision: number; value: T }>();

  constructor(private readonly capacity: number) {}

  get(key: string, revision: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.revision !== revision) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value kept under the key at whatever revision, for a guess that is checked before it is relied on; not counted as a use. */
  latest(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: string, revision: number, value: T): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { revision, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
