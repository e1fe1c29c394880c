import { clearTimeout, setTimeout } from 'node:timers';
import type { CommittedEvent, LogCursor, SubscriptionStore } from '../ports/eventSubscriptions.js';
import { Pause } from './pause.js';

export interface SubscribeOptions {
  /** Who holds the lease: unique per running process (or per runner). */
  owner: string;
  /** Where a subscription that does not exist yet starts; an existing checkpoint always wins. */
  from?: 'start' | 'end';
  /** How long a lease lasts unless renewed; renewed every third of it, also on a timer while a handler runs. */
  leaseMs?: number;
  /** Longest wait between reads when no commit hint arrives. */
  pollMs?: number;
  batchSize?: number;
  /** First wait after a failed handler or store call; doubles on each failure in a row, up to 30 s. */
  retryMs?: number;
  now?: () => number;
  /** Handler and store failures; the runner carries on (it retries) after reporting them. */
  onError?: (error: unknown) => void;
}

export interface RunningSubscription {
  /** Finishes the current event, saves the checkpoint, gives the lease up; resolves when all that is done. */
  stop(): Promise<void>;
  /**
   * Resolves once this runner has handled (and checkpointed) everything committed
   * when it was called; rejects if the runner stops first. Only a lease holder reads.
   */
  caughtUp(): Promise<void>;
}

const MAX_RETRY_MS = 30_000;
/** How soon to read again after a read that held committed events back (see `CommittedRead`). */
const HELD_BACK_POLL_MS = 20;

/**
 * Delivers every committed event, in the store's committed order, to `handler`,
 * at least once, across restarts and across processes: the checkpoint and the
 * lease live in the store, and only the lease holder reads. The checkpoint moves
 * past an event only once its handler has returned, so a crash or a lost lease
 * repeats events but never skips one. The lease is renewed while a handler runs
 * too, so a handler slower than the lease does not let a standby run it as well.
 */
export function subscribe(
  store: SubscriptionStore,
  name: string,
  handler: (event: CommittedEvent) => Promise<void>,
  options: SubscribeOptions,
): RunningSubscription {
  const runner = new SubscriptionRunner(store, name, handler, options);
  return { stop: () => runner.stop(), caughtUp: () => runner.caughtUp() };
}

/** A renewal or save found another owner on the lease (or a checkpoint this runner did not write). */
const LOST = Symbol('lease lost');

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

class SubscriptionRunner {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly firstRetryMs: number;
  /** Standbys retry the claim less often than a holder polls: a takeover waits for the expiry anyway. */
  private readonly claimEveryMs: number;
  private readonly now: () => number;
  private readonly pause = new Pause();
  private readonly done: Promise<void>;
  private stopping = false;
  private finished = false;
  private failures = 0;
  /** When the lease was last taken or renewed, by `now`; it is renewed a third of the way through, a handler or not. */
  private renewedAt = Number.NEGATIVE_INFINITY;
  /** For `from: 'end'`: the committed end when the runner began, read once. */
  private startAt: LogCursor | null | undefined;
  private waiters: Waiter[] = [];

  constructor(
    private readonly store: SubscriptionStore,
    private readonly name: string,
    private readonly handler: (event: CommittedEvent) => Promise<void>,
    private readonly options: SubscribeOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.pollMs = options.pollMs ?? 250;
    this.batchSize = options.batchSize ?? 100;
    this.firstRetryMs = options.retryMs ?? 1_000;
    this.claimEveryMs = Math.min(this.leaseMs / 3, Math.max(this.pollMs, 1_000));
    this.now = options.now ?? Date.now;
    const unlisten = store.onCommitted(() => this.pause.hint());
    this.done = this.run().finally(() => {
      unlisten();
      this.finished = true;
      this.settleWaiters(this.waiters, new Error(`subscription ${name} stopped before catching up`));
    });
  }

  stop(): Promise<void> {
    this.stopping = true;
    this.pause.interrupt();
    return this.done;
  }

  caughtUp(): Promise<void> {
    if (this.finished || this.stopping) return Promise.reject(new Error(`subscription ${this.name} is stopped`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const claim = await this.claim();
        if (claim === LOST) await this.pause.sleep(this.claimEveryMs, false);
        else await this.hold(claim);
      } catch (error) {
        // The store failed (connection lost, database restarting): claim afresh after a while.
        this.report(error);
        await this.pause.sleep(this.nextRetryMs(), false);
      }
    }
    try {
      await this.store.releaseLease(this.name, this.owner);
    } catch (error) {
      this.report(error);
    }
  }

  /** Takes or renews the lease; the stored checkpoint, or LOST when another owner holds it. */
  private async claim(): Promise<LogCursor | null | typeof LOST> {
    if (this.startAt === undefined) this.startAt = this.options.from === 'end' ? await this.store.committedEnd() : null;
    const at = this.now();
    const claim = await this.store.claimLease(this.name, this.owner, at, this.leaseMs, this.startAt);
    if (!claim.held) return LOST;
    this.renewedAt = at;
    return claim.checkpoint;
  }

  /** Reads and handles while the lease is held; returns when it is lost or the runner stops. */
  private async hold(saved: LogCursor | null): Promise<void> {
    let checkpoint = saved;
    while (!this.stopping) {
      if (this.renewalDue() && !(await this.renew(checkpoint))) return;
      const covered = [...this.waiters];
      this.pause.clearHint();
      const { events: batch, heldBack } = await this.store.readCommitted(checkpoint, this.batchSize);
      if (batch.length === 0) {
        this.failures = 0;
        if (!heldBack) this.settleWaiters(covered);
        // Held back: what was left out has committed already, and its hint is spent; look again soon.
        await this.pause.sleep(Math.min(heldBack ? HELD_BACK_POLL_MS : this.pollMs, this.pollMs, this.untilRenewal()), true);
        continue;
      }
      const outcome = await this.handle(batch, checkpoint);
      if (outcome === LOST) return;
      checkpoint = outcome.checkpoint;
      if (outcome.failed) {
        if (!(await this.backOff(checkpoint))) return;
        continue;
      }
      this.failures = 0;
      // A short batch that held nothing back reached the end as it was when the read began.
      if (batch.length < this.batchSize && !heldBack && !this.stopping) this.settleWaiters(covered);
    }
  }

  /** Hands events over in order; stops at a failure, at `stop`, or when the lease is gone. */
  private async handle(
    batch: readonly CommittedEvent[],
    saved: LogCursor | null,
  ): Promise<{ checkpoint: LogCursor | null; failed: boolean } | typeof LOST> {
    let checkpoint = saved;
    let handled: LogCursor | null = null;
    let failed = false;
    for (const event of batch) {
      if (this.stopping) break;
      // Renew before the event when a renewal is due (saving what is done), and on a timer while
      // its handler runs. That does not rule out a lapse mid-event (the process stalls, or the store
      // is out of reach for a whole lease), after which a standby may run the same event: the loss
      // shows at the next renewal or save, and nothing is saved after it.
      if (this.renewalDue()) {
        if (handled === null) {
          if (!(await this.renew(checkpoint))) return LOST;
        } else {
          if (!(await this.save(handled))) return LOST;
          checkpoint = handled;
          handled = null;
        }
      }
      const heartbeat = this.keepLease(checkpoint);
      try {
        await this.handler(event);
      } catch (error) {
        this.report(error);
        failed = true;
      }
      // Another owner took the lease while the handler ran: whatever this runner did, it saves none of it.
      if (!(await heartbeat.stop())) return LOST;
      if (failed) break;
      handled = event.cursor;
    }
    if (handled !== null) {
      if (!(await this.save(handled))) return LOST;
      checkpoint = handled;
    }
    return { checkpoint, failed };
  }

  /**
   * Renews a held lease; false when it is lost. The stored checkpoint equals ours
   * unless someone else moved it, which needed the lease: then start over from theirs.
   */
  private async renew(checkpoint: LogCursor | null): Promise<boolean> {
    const renewed = await this.claim();
    return renewed !== LOST && renewed === checkpoint;
  }

  /**
   * Renews the lease every third of `leaseMs` (timer time, not `now`, which a test may
   * hold still) until `stop`, which waits for a renewal under way and answers whether
   * the lease is still held. A renewal that finds the lease lost is remembered and ends
   * the beats; one that throws (the store is out of reach) is reported and retried at
   * the next beat. The timer is unref'd: it never keeps a process alive.
   */
  private keepLease(checkpoint: LogCursor | null): { stop(): Promise<boolean> } {
    const everyMs = this.leaseMs / 3;
    let lost = false;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let beating: Promise<void> = Promise.resolve();
    const beat = async (): Promise<void> => {
      try {
        if (!(await this.renew(checkpoint))) lost = true;
      } catch (error) {
        this.report(error);
      }
      schedule(everyMs);
    };
    const schedule = (ms: number): void => {
      if (stopped || lost) return;
      timer = setTimeout(() => (beating = beat()), ms);
      timer.unref();
    };
    // The first beat is due when the renewal before the event would next have been.
    schedule(Math.min(Math.max(this.untilRenewal(), 0), everyMs));
    return {
      stop: async () => {
        stopped = true;
        clearTimeout(timer);
        await beating;
        return !lost;
      },
    };
  }

  private async save(cursor: LogCursor): Promise<boolean> {
    const at = this.now();
    const kept = await this.store.saveCheckpoint(this.name, this.owner, cursor, at, this.leaseMs);
    if (kept) this.renewedAt = at;
    return kept;
  }

  /** Waits before retrying a failed event, renewing the lease meanwhile so that no standby takes it over. */
  private async backOff(checkpoint: LogCursor | null): Promise<boolean> {
    // Counted in timer time, not by `now`, which a test may hold still.
    for (let remaining = this.nextRetryMs(); remaining > 0 && !this.stopping;) {
      const chunk = Math.min(remaining, Math.max(this.untilRenewal(), 1));
      await this.pause.sleep(chunk, false);
      remaining -= chunk;
      if (this.renewalDue() && !this.stopping && !(await this.renew(checkpoint))) return false;
    }
    return true;
  }

  private nextRetryMs(): number {
    const wait = Math.min(this.firstRetryMs * 2 ** this.failures, MAX_RETRY_MS);
    this.failures++;
    return wait;
  }

  private renewalDue(): boolean {
    return this.untilRenewal() <= 0;
  }

  private untilRenewal(): number {
    return this.renewedAt + this.leaseMs / 3 - this.now();
  }

  private settleWaiters(waiters: readonly Waiter[], error?: Error): void {
    if (waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => !waiters.includes(waiter));
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  private report(error: unknown): void {
    try {
      (this.options.onError ?? ((failure: unknown) => console.error(`subscription ${this.name}:`, failure)))(error);
    } catch {
      // A failing error report must not end the loop.
    }
  }

  private get owner(): string {
    return this.options.owner;
  }
}
