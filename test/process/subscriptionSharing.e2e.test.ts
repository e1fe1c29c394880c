import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/services.js';
import { handledPositions, startSubscriber, waitUntil, type SubscriberProcess } from '../support/subscriberProcesses.js';
import { postgresRig } from '../support/subscriptionRigs.js';

/**
 * Three live processes run the same subscription on one PostgreSQL schema while
 * events keep arriving. The lease lets one of them handle at a time, and a
 * graceful stop saves and hands over: every event is handled by exactly one.
 */
describe('three subscriber processes on one PostgreSQL schema', () => {
  it('handle every event exactly once between them, across a graceful handover', async ({ skip }) => {
    skip(!(await postgresAvailable()), 'PostgreSQL unreachable');
    const rig = await postgresRig();
    const processes: SubscriberProcess[] = [];
    try {
      const owners = ['p1', 'p2', 'p3'];
      const files = owners.map((owner) => join(rig.dir, `${owner}.log`));
      const common = { ...rig.env, SUBSCRIPTION: 'shared', HANDLER_MS: '2', LEASE_MS: '1500', POLL_MS: '10' };
      // Started together, so that they race to create the subscription and take its lease.
      processes.push(
        ...(await Promise.all(owners.map((owner, index) => startSubscriber({ ...common, OWNER: owner, OUT_FILE: files[index]! })))),
      );
      const appended: number[] = [];
      const all = () => files.flatMap((file) => handledPositions(file));
      const appendInWaves = async (waves: number) => {
        for (let wave = 0; wave < waves; wave++) {
          appended.push(...(await rig.appendEvents(10)).map((event) => event.position));
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const expectExactlyOnce = async () => {
        await waitUntil(() => new Set(all()).size >= appended.length, `${appended.length} events handled`, 15_000);
        await new Promise((resolve) => setTimeout(resolve, 300)); // room for a second delivery to show up
        const handled = all();
        expect(handled.length, 'no event handled twice').toBe(new Set(handled).size);
        expect([...handled].sort((a, b) => a - b)).toEqual(appended);
      };

      await appendInWaves(10);
      await expectExactlyOnce();

      // The holder stops (SIGTERM): it saves and releases, and another takes over where it stopped.
      const holder = files.findIndex((file) => handledPositions(file).length > 0);
      await processes[holder]!.stop();
      await appendInWaves(5);
      await expectExactlyOnce();
      const after = files.map((file) => handledPositions(file).length);
      expect(after.filter((count, index) => index !== holder && count > 0).length).toBeGreaterThan(0);
    } finally {
      await Promise.all(processes.map((child) => child.stop()));
      await rig.cleanup();
    }
  }, 45_000);
});
