import type { LockManager } from '../../application/ports/runtime.js';

/** How many keys' last release are remembered; past it they are forgotten together, and older marks count as passed. */
const REMEMBERED_KEYS = 10_000;

/** A queue per key inside this process: callers on one key run one after another. */
export class InProcessLocks implements LockManager {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Moves on every release; each key keeps the value its last release gave it. */
  private releases = 0;
  private readonly lastRelease = new Map<string, number>();
  /** Marks below this were taken before the last time `lastRelease` was forgotten. */
  private rememberedFrom = 0;

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      this.noteRelease(key);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  mark(): number {
    return this.releases;
  }

  releasedSince(key: string, mark: number): boolean {
    return mark < this.rememberedFrom || (this.lastRelease.get(key) ?? 0) > mark;
  }

  private noteRelease(key: string): void {
    if (this.lastRelease.size >= REMEMBERED_KEYS && !this.lastRelease.has(key)) {
      this.lastRelease.clear();
      this.rememberedFrom = this.releases + 1;
    }
    this.lastRelease.set(key, ++this.releases);
  }
}
