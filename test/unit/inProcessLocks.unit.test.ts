import { describe, expect, it } from 'vitest';
import { InProcessLocks } from '../../src/adapters/runtime/inProcessLocks.js';

/** A lock held until `release` is called, and the promise of its `withLock`. */
function hold(locks: InProcessLocks, key: string) {
  let release!: () => void;
  const done = locks.withLock(key, () => new Promise<void>((resolve) => (release = resolve)));
  return { done, release: () => release() };
}

describe('InProcessLocks marks', () => {
  it('tell whether work under a key finished after the mark, and only under that key', async () => {
    const locks = new InProcessLocks();
    await locks.withLock('a', async () => undefined);
    const mark = locks.mark();
    expect(locks.releasedSince('a', mark)).toBe(false);
    await locks.withLock('b', async () => undefined);
    expect(locks.releasedSince('a', mark)).toBe(false);
    expect(locks.releasedSince('b', mark)).toBe(true);
    await locks.withLock('a', async () => undefined);
    expect(locks.releasedSince('a', mark)).toBe(true);
    expect(locks.releasedSince('a', locks.mark())).toBe(false);
  });

  it('count a holder that held the lock at the mark and finished after it, and one that failed', async () => {
    const locks = new InProcessLocks();
    const held = hold(locks, 'a');
    await Promise.resolve();
    const mark = locks.mark();
    expect(locks.releasedSince('a', mark)).toBe(false);
    held.release();
    await held.done;
    expect(locks.releasedSince('a', mark)).toBe(true);
    const second = locks.mark();
    await expect(locks.withLock('a', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(locks.releasedSince('a', second)).toBe(true);
  });

  it('count every earlier mark as passed once they forget the keys they remembered', async () => {
    const locks = new InProcessLocks();
    const mark = locks.mark();
    for (let n = 0; n < 10_001; n++) await locks.withLock(`key ${n}`, async () => undefined);
    // Key 'untouched' was never locked, but what was remembered has been forgotten since the mark.
    expect(locks.releasedSince('untouched', mark)).toBe(true);
    expect(locks.releasedSince('untouched', locks.mark())).toBe(false);
  });
});
