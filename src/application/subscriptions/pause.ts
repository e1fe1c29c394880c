import { clearTimeout, setTimeout } from 'node:timers';

/**
 * The waits of one subscription runner. A sleep ends at its time, at `interrupt`
 * (the runner is stopping), or — when asked — at a commit hint. A hint that
 * arrives while the runner is awake (reading, handling) is kept until
 * `clearHint`, so the next sleep returns at once instead of missing it.
 * Timers are unref'd: a waiting subscription never keeps a process alive.
 */
export class Pause {
  private hinted = false;
  private interrupted = false;
  private current: { wakeOnHint: boolean; end: () => void } | null = null;

  /** Something committed: a sleep that waits for commits ends now. */
  hint(): void {
    this.hinted = true;
    if (this.current?.wakeOnHint) this.current.end();
  }

  /** Called right before a read: what that read will see needs no further hint. */
  clearHint(): void {
    this.hinted = false;
  }

  /** Ends the current sleep and every later one at once. */
  interrupt(): void {
    this.interrupted = true;
    this.current?.end();
  }

  sleep(ms: number, wakeOnHint: boolean): Promise<void> {
    if (this.interrupted || (wakeOnHint && this.hinted) || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        if (this.current?.end === end) this.current = null;
        resolve();
      };
      const timer = setTimeout(end, ms);
      timer.unref();
      this.current = { wakeOnHint, end };
    });
  }
}
