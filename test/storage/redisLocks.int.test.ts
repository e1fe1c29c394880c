import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockWaitTimeout, RedisLocks, type RedisLocksOptions } from '../../src/adapters/redis/redisLocks.js';
import { REDIS_URL, redisAvailable } from '../support/services.js';

const available = await redisAvailable();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise with its resolve, to order steps of two callers without timing them. */
function signal(): { promise: Promise<void>; fire(): void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

if (available) {
  describe('RedisLocks', () => {
    const prefix = `wokibrain:test:${randomBytes(4).toString('hex')}:`;
    let redis: Redis;
    const opened: RedisLocks[] = [];

    /** Each instance has its own connection, as separate processes would. */
    function locks(options: RedisLocksOptions = {}): RedisLocks {
      const instance = new RedisLocks(REDIS_URL, { prefix, ...options });
      opened.push(instance);
      return instance;
    }

    beforeAll(() => {
      redis = new Redis(REDIS_URL);
    });

    afterAll(async () => {
      await Promise.all(opened.map((instance) => instance.close()));
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it('lets one caller at a time in, across instances', async () => {
      const processes = [locks(), locks(), locks()];
      let inside = 0;
      let most = 0;
      const entered: number[] = [];
      await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          processes[index % 3]!.withLock('sector|S1', async () => {
            inside++;
            most = Math.max(most, inside);
            entered.push(index);
            await sleep(1);
            inside--;
          }),
        ),
      );
      expect(most).toBe(1);
      expect([...entered].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, index) => index));
      expect(await redis.exists(`${prefix}sector|S1`)).toBe(0);
    });

    it('returns the work result, releases after a failure, and keeps keys apart', async () => {
      const lock = locks();
      expect(await lock.withLock('a', async () => 42)).toBe(42);
      await expect(
        lock.withLock('a', async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await redis.exists(`${prefix}a`)).toBe(0);

      // Holding "a" does not block "b": the inner lock is taken while the outer one is held.
      const order: string[] = [];
      await lock.withLock('a', async () => {
        order.push('a in');
        await locks({ waitMs: 1000 }).withLock('b', async () => order.push('b in'));
        order.push('a out');
      });
      expect(order).toEqual(['a in', 'b in', 'a out']);
    });

    it('lets a lapsed holder not release the next holder’s lock', async () => {
      const slow = locks({ ttlMs: 150, renew: false });
      const next = locks({ waitMs: 5000 });
      const slowInside = signal();
      const nextInside = signal();
      const slowDone = signal();
      let seenAfterSlowReleased: string | null = 'unset';

      const first = slow.withLock('lapse', async () => {
        slowInside.fire();
        // Held past its TTL: the lock lapses and the other caller gets it.
        await nextInside.promise;
      });
      await slowInside.promise;
      const second = next.withLock('lapse', async () => {
        const mine = await redis.get(`${prefix}lapse`);
        nextInside.fire();
        await slowDone.promise;
        seenAfterSlowReleased = await redis.get(`${prefix}lapse`);
        expect(seenAfterSlowReleased).toBe(mine);
      });
      await first;
      slowDone.fire();
      await second;
      expect(seenAfterSlowReleased).not.toBeNull();
      expect(await redis.exists(`${prefix}lapse`)).toBe(0);
    });

    it('waits out a dead process’s lock until its TTL lapses', async () => {
      await redis.set(`${prefix}dead`, 'token-of-a-dead-process', 'PX', 200);
      const value = await locks({ waitMs: 5000 }).withLock('dead', () => redis.get(`${prefix}dead`));
      expect(value).not.toBeNull();
      expect(value).not.toBe('token-of-a-dead-process');
    });

    it('gives up after the wait limit with a retryable error', async () => {
      await redis.set(`${prefix}stuck`, 'token-of-someone-else', 'PX', 60_000);
      let ran = false;
      const error = await locks({ waitMs: 50 })
        .withLock('stuck', async () => {
          ran = true;
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockWaitTimeout);
      expect(error).toMatchObject({ code: 'unavailable', status: 503, key: 'stuck' });
      expect(ran).toBe(false);
      expect(await redis.get(`${prefix}stuck`)).toBe('token-of-someone-else');
    });

    it('renews the lock while slow work runs', async () => {
      const lock = locks({ ttlMs: 90 });
      const held = await lock.withLock('renewed', async () => {
        const token = await redis.get(`${prefix}renewed`);
        await sleep(300);
        return { token, after: await redis.get(`${prefix}renewed`) };
      });
      expect(held.token).not.toBeNull();
      expect(held.after).toBe(held.token);
    });

    it('without Redis, locks within the process at once and says degraded', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const warnings: object[] = [];
      const lock = new RedisLocks(`redis://127.0.0.1:${port}`, {
        prefix,
        logger: { info: () => undefined, warn: (fields) => warnings.push(fields) },
      });
      opened.push(lock);
      let inside = 0;
      let most = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 10 }, () =>
          lock.withLock('offline', async () => {
            inside++;
            most = Math.max(most, inside);
            await sleep(2);
            inside--;
          }),
        ),
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(most).toBe(1);
      expect(lock.health()).toMatchObject({ status: 'degraded' });
      await sleep(300);
      // ioredis retried the connection several times by now: one line for them all.
      expect(warnings.filter((fields) => JSON.stringify(fields).includes('ECONNREFUSED'))).toHaveLength(1);
    });

    it('closes the connection it opened', async () => {
      const lock = new RedisLocks(REDIS_URL, { prefix });
      await lock.withLock('x', async () => undefined);
      await lock.close();
      expect(lock.redis.status).toBe('end');
      await lock.close();
    });
  });
} else {
  describe.skip('RedisLocks (Redis unreachable)', () => {
    it('needs Redis', () => {});
  });
}
