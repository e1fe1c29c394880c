import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/application/ports/eventStore.js';
import type { CommittedEvent, LogCursor, SubscriptionStore } from '../../src/application/ports/eventSubscriptions.js';
import { subscribe } from '../../src/application/subscriptions/subscribe.js';

export interface SubscriptionFixtures {
  uid(kind: string): string;
  /** Appends `count` events, one append each, in order; returns them as stored. */
  appendEvents(count: number): Promise<StoredEvent[]>;
}

const LEASE_MS = 1_000;
/** Lease times are whatever the caller says: no test here waits for a clock. */
const T = 1_700_000_000_000;

/**
 * What every store owes durable subscriptions, checked as a black box. Runs
 * inside the store conformance suite, on a store that already holds events.
 * PostgreSQL shows a commit only once no older transaction is still running
 * anywhere in the cluster, so reads wait for what they expect rather than
 * assume it is there at once.
 */
export function describeSubscriptionConformance(store: () => SubscriptionStore, fixtures: SubscriptionFixtures): void {
  const { uid, appendEvents } = fixtures;

  /** Everything committed after `after`, once all of `expected` is among it. */
  async function readIncluding(after: LogCursor | null, expected: readonly StoredEvent[]): Promise<CommittedEvent[]> {
    const wanted = expected.map((event) => event.position);
    let read: CommittedEvent[] = [];
    await until(
      async () => {
        read = (await store().readCommitted(after, 1_000_000)).events;
        const positions = new Set(read.map((event) => event.position));
        return wanted.every((position) => positions.has(position));
      },
      `events ${wanted.join(', ')} to be readable`,
    );
    return read;
  }

  /** The cursors of `events`, as the store reads them. */
  async function cursorsOf(after: LogCursor | null, events: readonly StoredEvent[]): Promise<LogCursor[]> {
    const read = await readIncluding(after, events);
    return events.map((event) => read.find((committed) => committed.position === event.position)!.cursor);
  }

  describe('subscriptions', () => {
    it('reads committed events in order, with cursors that resume where a read stopped', async () => {
      const start = await store().committedEnd();
      const appended = await appendEvents(5);
      const all = await readIncluding(start, appended);
      const ours = new Set(appended.map((event) => event.position));
      expect(all.filter((event) => ours.has(event.position)).map(withoutCursor)).toEqual(appended);
      expect(new Set(all.map((event) => event.cursor)).size).toBe(all.length);

      const paged: CommittedEvent[] = [];
      for (let after = start; ;) {
        const page = (await store().readCommitted(after, 2)).events;
        expect(page.length).toBeLessThanOrEqual(2);
        paged.push(...page);
        if (page.length < 2) break;
        after = page.at(-1)!.cursor;
      }
      expect(paged).toEqual(all);
      expect((await store().readCommitted(all.at(-1)!.cursor, 10)).events).toEqual([]);
      expect((await store().readCommitted(start, 0)).events).toEqual([]);
      expect(await store().committedEnd()).toBe(all.at(-1)!.cursor);
      // From the log's start, the same events come last.
      expect((await store().readCommitted(null, 1_000_000)).events.slice(-all.length)).toEqual(all);
    });

    it('creates a subscription at the log start or at a cursor, and an existing checkpoint wins', async () => {
      const end = (await store().committedEnd())!;
      expect(end).not.toBeNull();
      const fromStart = uid('sub');
      expect(await store().claimLease(fromStart, 'a', T, LEASE_MS, null)).toEqual({ held: true, checkpoint: null });
      expect(await store().checkpointOf(fromStart)).toBeNull();

      const fromEnd = uid('sub');
      expect(await store().claimLease(fromEnd, 'a', T, LEASE_MS, end)).toEqual({ held: true, checkpoint: end });
      expect(await store().checkpointOf(fromEnd)).toBe(end);
      // Starting at the end skips the history: nothing up to it is read again.
      const history = (await store().readCommitted(null, 1_000_000)).events;
      const upToEnd = history.slice(0, history.findIndex((event) => event.cursor === end) + 1);
      expect(upToEnd.length).toBeGreaterThan(0);
      const seenBefore = new Set(upToEnd.map((event) => event.position));
      expect((await store().readCommitted(end, 1_000_000)).events.filter((event) => seenBefore.has(event.position))).toEqual([]);

      // Claimed again, by the holder or after expiry by another, with another start: the stored checkpoint stays.
      expect(await store().claimLease(fromEnd, 'a', T + 1, LEASE_MS, null)).toEqual({ held: true, checkpoint: end });
      expect(await store().claimLease(fromStart, 'b', T + 2 * LEASE_MS, LEASE_MS, end)).toEqual({ held: true, checkpoint: null });
      expect(await store().checkpointOf(uid('never-claimed'))).toBeNull();
    });

    it('moves a checkpoint only forward', async () => {
      const start = await store().committedEnd();
      const [c1, c2, c3] = (await cursorsOf(start, await appendEvents(3))) as [LogCursor, LogCursor, LogCursor];
      const name = uid('sub');
      await store().claimLease(name, 'a', T, LEASE_MS, start);
      expect(await store().saveCheckpoint(name, 'a', c2, T + 1, LEASE_MS)).toBe(true);
      expect(await store().checkpointOf(name)).toBe(c2);
      // A late save of an older cursor (a slow duplicate delivery) is accepted but changes nothing.
      expect(await store().saveCheckpoint(name, 'a', c1, T + 2, LEASE_MS)).toBe(true);
      expect(await store().checkpointOf(name)).toBe(c2);
      expect(await store().claimLease(name, 'a', T + 3, LEASE_MS, null)).toEqual({ held: true, checkpoint: c2 });
      expect(await store().saveCheckpoint(name, 'a', c3, T + 4, LEASE_MS)).toBe(true);
      expect(await store().checkpointOf(name)).toBe(c3);
    });

    it('keeps a live lease from a second owner, and hands it over once it expired or was released', async () => {
      const cursor = (await store().committedEnd())!;
      const name = uid('sub');
      expect((await store().claimLease(name, 'a', T, LEASE_MS, null)).held).toBe(true);
      expect(await store().claimLease(name, 'b', T + LEASE_MS - 1, LEASE_MS, null)).toEqual({ held: false });
      // The holder renews by claiming again, and by saving: the lease now runs to T + 600 + LEASE_MS.
      expect((await store().claimLease(name, 'a', T + 500, LEASE_MS, null)).held).toBe(true);
      expect(await store().saveCheckpoint(name, 'a', cursor, T + 600, LEASE_MS)).toBe(true);
      expect(await store().claimLease(name, 'b', T + 600 + LEASE_MS - 1, LEASE_MS, null)).toEqual({ held: false });

      // Expired: b takes it over, with a's checkpoint; a has lost it.
      const takeover = T + 600 + LEASE_MS + 100;
      expect(await store().claimLease(name, 'b', takeover, LEASE_MS, null)).toEqual({ held: true, checkpoint: cursor });
      expect(await store().saveCheckpoint(name, 'a', cursor, takeover + 1, LEASE_MS)).toBe(false);
      expect(await store().claimLease(name, 'a', takeover + 1, LEASE_MS, null)).toEqual({ held: false });

      // A release by someone else changes nothing; b's own release frees it at once.
      await store().releaseLease(name, 'a');
      expect(await store().claimLease(name, 'a', takeover + 2, LEASE_MS, null)).toEqual({ held: false });
      await store().releaseLease(name, 'b');
      expect(await store().claimLease(name, 'a', takeover + 2, LEASE_MS, null)).toEqual({ held: true, checkpoint: cursor });
      expect(await store().saveCheckpoint(name, 'b', cursor, takeover + 3, LEASE_MS)).toBe(false);
    });

    it('answers false to a checkpoint saved by an owner that does not hold the lease', async () => {
      const cursor = (await store().committedEnd())!;
      const name = uid('sub');
      await store().claimLease(name, 'a', T, LEASE_MS, null);
      expect(await store().saveCheckpoint(name, 'b', cursor, T + 1, LEASE_MS)).toBe(false);
      expect(await store().checkpointOf(name)).toBeNull();
      // Nor did trying take the lease for b.
      expect(await store().claimLease(name, 'b', T + 2, LEASE_MS, null)).toEqual({ held: false });
      const missing = uid('missing');
      expect(await store().saveCheckpoint(missing, 'a', cursor, T, LEASE_MS)).toBe(false);
      expect(await store().checkpointOf(missing)).toBeNull();
    });

    it('tells listeners after an append through it commits, until they are removed', async () => {
      let calls = 0;
      const remove = store().onCommitted(() => calls++);
      const removeFaulty = store().onCommitted(() => {
        throw new Error('a listener that fails must not fail the append');
      });
      await appendEvents(1);
      expect(calls).toBe(1);
      remove();
      removeFaulty();
      await appendEvents(1);
      expect(calls).toBe(1);
    });

    it('runs a subscriber that delivers each new event once, in order, and resumes after a restart', async () => {
      const name = uid('sub');
      const seen: number[] = [];
      const errors: unknown[] = [];
      const options = { from: 'end' as const, pollMs: 10, onError: (error: unknown) => void errors.push(error) };
      const first = subscribe(store(), name, async (event) => void seen.push(event.position), { ...options, owner: 'one' });
      await first.caughtUp();
      const before = await appendEvents(3);
      await until(async () => before.every((event) => seen.includes(event.position)), 'the first subscriber to deliver');
      await first.stop();
      const after = await appendEvents(2);
      const second = subscribe(store(), name, async (event) => void seen.push(event.position), { ...options, owner: 'two' });
      await until(async () => after.every((event) => seen.includes(event.position)), 'the second subscriber to deliver');
      await second.stop();
      // PostgreSQL's end may trail behind a few earlier events while another transaction runs: look at ours.
      const ours = new Set([...before, ...after].map((event) => event.position));
      expect(seen.filter((position) => ours.has(position))).toEqual([...before, ...after].map((event) => event.position));
      expect(errors).toEqual([]);
    });
  });
}

function withoutCursor({ cursor: _cursor, ...event }: CommittedEvent): StoredEvent {
  return event;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
