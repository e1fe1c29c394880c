import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/application/ports/eventStore.js';
import type { CommittedEvent } from '../../src/application/ports/eventSubscriptions.js';
import { subscribe, type RunningSubscription, type SubscribeOptions } from '../../src/application/subscriptions/subscribe.js';
import { MemorySubscriptions } from '../../src/adapters/memory/subscriptions.js';

/** A log and its subscriptions, without the rest of a store: what the runner sees. */
function fixture() {
  const log: StoredEvent[] = [];
  const store = new MemorySubscriptions(() => log);
  const append = (count: number) => {
    for (let index = 0; index < count; index++) {
      const position = log.length + 1;
      log.push({
        position,
        stream: `restaurant-${position}`,
        version: 1,
        type: 'RestaurantRegistered',
        data: { restaurant: { id: String(position) } } as StoredEvent['data'],
        metadata: { actor: 'test' },
        recordedAt: position,
      });
    }
    store.notifyCommitted();
  };
  return { log, store, append };
}

const running: RunningSubscription[] = [];

function start(
  store: MemorySubscriptions,
  handler: (event: CommittedEvent) => Promise<void>,
  options: Partial<SubscribeOptions> = {},
): RunningSubscription {
  const subscription = subscribe(store, 'sub', handler, { owner: 'one', pollMs: 5, retryMs: 5, ...options });
  running.push(subscription);
  return subscription;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((subscription) => subscription.stop()));
});

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('subscribe', () => {
  it('delivers the log in order, checkpoints it, and resumes after a stop without repeating', async () => {
    const { store, append } = fixture();
    append(5);
    const seen: number[] = [];
    const first = start(store, async (event) => void seen.push(event.position), { batchSize: 2 });
    await first.caughtUp();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await store.checkpointOf('sub')).toBe('5');
    await first.stop();
    append(3);
    const second = start(store, async (event) => void seen.push(event.position), { owner: 'two' });
    await second.caughtUp();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('retries a failing event until it succeeds, never moving past it, and reports each failure', async () => {
    const { store, append } = fixture();
    append(5);
    const seen: number[] = [];
    const errors: unknown[] = [];
    let failuresLeft = 3;
    const checkpoints: (string | null)[] = [];
    const subscription = start(
      store,
      async (event) => {
        if (event.position === 3 && failuresLeft > 0) {
          failuresLeft--;
          checkpoints.push(await store.checkpointOf('sub'));
          throw new Error('handler failed');
        }
        seen.push(event.position);
      },
      { onError: (error) => errors.push(error) },
    );
    await until(() => seen.length >= 5, 'every event');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(errors.map((error) => (error as Error).message)).toEqual(['handler failed', 'handler failed', 'handler failed']);
    // Events 1 and 2 are saved when the batch stops at the failure; event 3 only once it succeeded.
    expect(checkpoints).toEqual([null, '2', '2']);
    await subscription.caughtUp();
    expect(await store.checkpointOf('sub')).toBe('5');
  });

  it('creates a subscription at the end when asked, but an existing checkpoint wins', async () => {
    const { store, append } = fixture();
    append(3);
    const seen: number[] = [];
    const fromEnd = start(store, async (event) => void seen.push(event.position), { from: 'end' });
    await fromEnd.caughtUp();
    append(2);
    await until(() => seen.length === 2, 'the new events');
    expect(seen).toEqual([4, 5]);
    await fromEnd.stop();

    append(1);
    const again = start(store, async (event) => void seen.push(event.position), { from: 'end' });
    await again.caughtUp();
    expect(seen).toEqual([4, 5, 6]);
  });

  it('wakes on a commit hint instead of waiting for the next poll', async () => {
    const { store, append } = fixture();
    const seen: number[] = [];
    const subscription = start(store, async (event) => void seen.push(event.position), { pollMs: 60_000 });
    await subscription.caughtUp();
    const appendedAt = Date.now();
    append(1);
    await until(() => seen.length === 1, 'the hinted event', 2_000);
    expect(Date.now() - appendedAt).toBeLessThan(1_000);
  });

  it('lets one runner at a time hold the lease, renewing it while idle, and hands over on stop', async () => {
    const { store, append } = fixture();
    const granted: string[] = [];
    const claimLease = store.claimLease.bind(store);
    store.claimLease = async (...args) => {
      const claim = await claimLease(...args);
      if (claim.held) granted.push(args[1]);
      return claim;
    };
    const seen: string[] = [];
    const leaseMs = 150;
    const one = start(store, async (event) => void seen.push(`one:${event.position}`), { leaseMs });
    await one.caughtUp();
    start(store, async (event) => void seen.push(`two:${event.position}`), { owner: 'two', leaseMs });
    // Several lease lengths of idling: one keeps renewing, so two never gets in.
    await sleep(leaseMs * 4);
    append(3);
    await until(() => seen.length >= 3, 'the first three events');
    await sleep(50); // room for a second delivery to show up
    expect(seen).toEqual(['one:1', 'one:2', 'one:3']);
    expect(granted.filter((owner) => owner === 'two')).toEqual([]);

    await one.stop();
    append(2);
    await until(() => seen.length >= 5, 'the takeover');
    await sleep(50);
    expect(seen.slice(3)).toEqual(['two:4', 'two:5']);
  });

  it('renews the lease between the events of a batch that outlasts it, so a slow handler keeps it', async () => {
    const { store, append } = fixture();
    append(8);
    const seen: string[] = [];
    const leaseMs = 150;
    const slow = start(
      store,
      async (event) => {
        await sleep(40);
        seen.push(`one:${event.position}`);
      },
      { leaseMs },
    );
    start(store, async (event) => void seen.push(`two:${event.position}`), { owner: 'two', leaseMs });
    await until(() => seen.length >= 8, 'eight deliveries'); // 8 × 40 ms: twice the lease
    await sleep(50); // room for a second delivery to show up
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((position) => `one:${position}`));
    await slow.caughtUp();
  });

  it('keeps the lease through one event three times slower than the lease, so a standby never runs it too', async () => {
    const { store, append } = fixture();
    append(1);
    const leaseMs = 200;
    const seen: string[] = [];
    let handling = 0;
    let mostAtOnce = 0;
    const slowly = (owner: string) => async (event: CommittedEvent) => {
      handling++;
      mostAtOnce = Math.max(mostAtOnce, handling);
      seen.push(`${owner}:${event.position}`);
      await sleep(leaseMs * 3);
      handling--;
    };
    start(store, slowly('one'), { leaseMs });
    await until(() => seen.length === 1, 'the first delivery');
    start(store, slowly('two'), { owner: 'two', leaseMs });
    // The handler's three lease lengths, then two more: room for a second delivery to show up.
    await sleep(leaseMs * 5);
    expect(seen).toEqual(['one:1']);
    expect(mostAtOnce).toBe(1);
    expect(await store.checkpointOf('sub')).toBe('1');
  });

  it('does not save after a slow handler once a renewal during it found the lease taken over', async () => {
    const { store, append } = fixture();
    append(1);
    const leaseMs = 200;
    const saves: string[] = [];
    const saveCheckpoint = store.saveCheckpoint.bind(store);
    store.saveCheckpoint = async (...args) => {
      saves.push(`${args[1]}:${args[2]}`);
      return saveCheckpoint(...args);
    };
    let handlerDone = false;
    const refused: string[] = [];
    const claimLease = store.claimLease.bind(store);
    store.claimLease = async (...args) => {
      const claim = await claimLease(...args);
      if (args[1] === 'one' && !claim.held) refused.push(handlerDone ? 'after the handler' : 'during the handler');
      return claim;
    };
    const seen: number[] = [];
    start(
      store,
      async (event) => {
        seen.push(event.position);
        await sleep(leaseMs * 2);
        handlerDone = true;
      },
      { leaseMs },
    );
    await until(() => seen.length === 1, 'the delivery');
    // Mid-handler another owner takes the lease: by its clock the lease has run out (the runner stalled, or the clocks differ).
    expect((await store.claimLease('sub', 'thief', Date.now() + 10 * leaseMs, 60_000, null)).held).toBe(true);
    await sleep(leaseMs * 3); // the handler returns, and room for a save to show up
    expect(saves).toEqual([]);
    expect(refused[0]).toBe('during the handler');
    expect(seen).toEqual([1]);
    expect(await store.checkpointOf('sub')).toBeNull();
  });

  it('reports a renewal that throws during a slow handler and renews at the next beat', async () => {
    const { store, append } = fixture();
    append(1);
    const leaseMs = 300;
    const errors: unknown[] = [];
    const seen: string[] = [];
    let oneHandling = false;
    let thrown = 0;
    const claimLease = store.claimLease.bind(store);
    store.claimLease = async (...args) => {
      if (args[1] === 'one' && oneHandling && thrown === 0) {
        thrown++;
        throw new Error('store unreachable');
      }
      return claimLease(...args);
    };
    start(
      store,
      async (event) => {
        oneHandling = true;
        seen.push(`one:${event.position}`);
        await sleep(leaseMs * 3);
        oneHandling = false;
      },
      { leaseMs, onError: (error) => errors.push(error) },
    );
    await until(() => seen.length === 1, 'the first delivery');
    start(store, async (event) => void seen.push(`two:${event.position}`), { owner: 'two', leaseMs });
    await sleep(leaseMs * 5);
    expect(seen).toEqual(['one:1']);
    expect(errors.map((error) => (error as Error).message)).toEqual(['store unreachable']);
    expect(await store.checkpointOf('sub')).toBe('1');
  });

  it('stops handling once a save finds the lease taken over', async () => {
    const { store, append } = fixture();
    const clock = 1_000_000;
    const seen: number[] = [];
    const subscription = start(store, async (event) => void seen.push(event.position), {
      leaseMs: 1_000,
      batchSize: 1,
      now: () => clock,
    });
    await subscription.caughtUp();
    // By the other owner's clock the lease has run out (the runner stalled, or the clocks differ);
    // by the runner's own clock no renewal is due yet, so only its next save can tell it.
    expect((await store.claimLease('sub', 'thief', clock + 10_000, 1_000_000, null)).held).toBe(true);
    append(5);
    await sleep(200);
    // The one event it read before its save came back refused, and no more.
    expect(seen).toEqual([1]);
    expect(await store.checkpointOf('sub')).toBeNull();
  });

  it('finishes the current event on stop, saves it, and gives the lease up at once', async () => {
    const { store, append } = fixture();
    append(3);
    let release: () => void = () => {};
    const seen: number[] = [];
    const subscription = start(store, async (event) => {
      if (event.position === 2) await new Promise<void>((resolve) => (release = resolve));
      seen.push(event.position);
    });
    await until(() => seen.length === 1, 'the first event');
    await sleep(10);
    const stopped = subscription.stop();
    release();
    await stopped;
    expect(seen).toEqual([1, 2]);
    expect(await store.checkpointOf('sub')).toBe('2');
    expect((await store.claimLease('sub', 'next', Date.now(), 1_000, null)).held).toBe(true);
    await expect(subscription.caughtUp()).rejects.toThrow(/stopped/);
  });
});
