import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogCursor } from '../../src/application/ports/eventSubscriptions.js';
import { postgresAvailable } from '../support/services.js';
import { handledPositions, startSubscriber, waitUntil, type SubscriberProcess } from '../support/subscriberProcesses.js';
import { postgresRig, sqliteRig, type SubscriptionRig } from '../support/subscriptionRigs.js';

const EVENTS = 200;
const KILL_AFTER = 120;
const SUBSCRIPTION = 'crash-test';

interface CrashRun {
  /** Positions in the order they were appended (and, appended one after another, committed). */
  appended: number[];
  /** The committed order as the store reads it: cursors. */
  order: LogCursor[];
  byFirst: number[];
  bySecond: number[];
  /** The stored checkpoint, read every 15 ms during the whole run. */
  checkpoints: (LogCursor | null)[];
}

/**
 * A subscriber process killed with SIGKILL part-way through a batch (the batch is
 * 100 events, it dies after 120), then a second process with another owner: it
 * waits out the dead one's lease and resumes from the saved checkpoint.
 */
async function crashAndResume(rig: SubscriptionRig): Promise<CrashRun> {
  const appended = (await rig.appendEvents(EVENTS)).map((event) => event.position);
  const common = { ...rig.env, SUBSCRIPTION, HANDLER_MS: '20', LEASE_MS: '1500' };
  const firstFile = join(rig.dir, 'first.log');
  const secondFile = join(rig.dir, 'second.log');
  const children: SubscriberProcess[] = [];
  const checkpoints: (LogCursor | null)[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      checkpoints.push(await rig.store.checkpointOf(SUBSCRIPTION));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  const explain = (child: SubscriberProcess) => (error: Error) => {
    throw new Error(`${error.message}\n${child.output()}`);
  };

  try {
    const first = await startSubscriber({ ...common, OWNER: 'first', OUT_FILE: firstFile });
    children.push(first);
    await waitUntil(() => handledPositions(firstFile).length >= KILL_AFTER, `${KILL_AFTER} events handled`, 15_000).catch(explain(first));
    await first.kill();

    const second = await startSubscriber({ ...common, OWNER: 'second', OUT_FILE: secondFile });
    children.push(second);
    const handled = () => new Set([...handledPositions(firstFile), ...handledPositions(secondFile)]);
    await waitUntil(() => appended.every((position) => handled().has(position)), 'every event handled', 20_000).catch(explain(second));
    const order = (await rig.store.readCommitted(null, EVENTS + 10)).events.map((event) => event.cursor);
    await waitUntil(async () => (await rig.store.checkpointOf(SUBSCRIPTION)) === order.at(-1), 'the last checkpoint', 5_000);
    await second.stop();
    return { appended, order, byFirst: handledPositions(firstFile), bySecond: handledPositions(secondFile), checkpoints };
  } finally {
    watching = false;
    await watcher;
    await Promise.all(children.map((child) => child.kill()));
  }
}

function expectResumedWithoutLoss({ appended, order, byFirst, bySecond, checkpoints }: CrashRun): void {
  // The first died part-way; the second took over from the checkpoint, not from the start.
  expect(byFirst.length).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(byFirst.length).toBeLessThan(EVENTS);
  expect(bySecond.length).toBeLessThan(EVENTS);
  // Each handled in log order, the second from where the first had got to (or before) to the end:
  // every event at least once.
  expect(byFirst).toEqual(appended.slice(0, byFirst.length));
  const resumedAt = appended.indexOf(bySecond[0]!);
  expect(bySecond).toEqual(appended.slice(resumedAt));
  expect(resumedAt).toBeLessThanOrEqual(byFirst.length);

  // The checkpoint, as read during the run, only ever moved forward in the committed order.
  expect(checkpoints.filter((checkpoint) => checkpoint !== null && !order.includes(checkpoint))).toEqual([]);
  const indices = checkpoints.map((checkpoint) => (checkpoint === null ? -1 : order.indexOf(checkpoint)));
  for (let index = 1; index < indices.length; index++) expect(indices[index]!).toBeGreaterThanOrEqual(indices[index - 1]!);
  expect(new Set(indices).size).toBeGreaterThan(2);
}

describe('a subscriber process killed mid-batch', () => {
  it('on PostgreSQL: another process resumes from the checkpoint and every event is handled', async ({ skip }) => {
    skip(!(await postgresAvailable()), 'PostgreSQL unreachable');
    const rig = await postgresRig();
    try {
      expectResumedWithoutLoss(await crashAndResume(rig));
    } finally {
      await rig.cleanup();
    }
  }, 45_000);

  it('on SQLite: another process resumes from the checkpoint and every event is handled', async () => {
    const rig = await sqliteRig();
    try {
      expectResumedWithoutLoss(await crashAndResume(rig));
    } finally {
      await rig.cleanup();
    }
  }, 45_000);
});
