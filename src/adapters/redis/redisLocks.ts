import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LockManager } from '../../application/ports/runtime.js';
import { AppError } from '../../errors/catalogue.js';

export interface RedisLocksOptions {
  /** How long a lock lives without renewal: a crashed holder blocks others at most this long. */
  ttlMs?: number;
  /** How long `withLock` waits for a busy key before it gives up with `LockWaitTimeout`. */
  waitMs?: number;
  /** Retry delays grow from `retryMinMs` towards `retryMaxMs`, with jitter. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /**
   * Renew the lock every ttl/3 while the work runs, so slow work keeps it. Off,
   * a lock lapses after `ttlMs` even while its holder still works.
   */
  renew?: boolean;
  /** Prefix of the Redis keys. */
  prefix?: string;
}

const DEFAULTS = { ttlMs: 10_000, waitMs: 15_000, retryMinMs: 5, retryMaxMs: 100, renew: true, prefix: 'wokibrain:lock:' };

/** Deletes the key only while it still holds our token: a lapsed holder cannot free the next one's lock. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the key's life only while it still holds our token. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** No lock within the wait limit: the caller may retry (503). */
export class LockWaitTimeout extends AppError {
  constructor(readonly key: string) {
    super('unavailable', 'Too many requests are working on the same sector; try again shortly.');
    this.name = 'LockWaitTimeout';
  }
}

/**
 * Locks shared by every process that uses one Redis: `SET key token NX PX ttl`,
 * retried with jittered backoff, released by a token-checked script. A lock only
 * lowers contention; the store still refuses double bookings on its own.
 */
export class RedisLocks implements LockManager {
  readonly redis: Redis;
  private readonly options: typeof DEFAULTS;
  private readonly ownsConnection: boolean;

  constructor(redis: Redis | string, options: RedisLocksOptions = {}) {
    this.ownsConnection = typeof redis === 'string';
    this.redis = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2 }) : redis;
    this.options = { ...DEFAULTS, ...options };
  }

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const name = this.options.prefix + key;
    const token = randomBytes(16).toString('hex');
    await this.acquire(name, token, key);
    const renewal = this.options.renew ? this.keepRenewing(name, token) : undefined;
    try {
      return await work();
    } finally {
      if (renewal) clearInterval(renewal);
      // A failed release only leaves the lock to lapse at its TTL.
      await this.redis.eval(RELEASE, 1, name, token).catch(() => undefined);
    }
  }

  /** Closes the connection if this instance opened it. */
  async close(): Promise<void> {
    if (!this.ownsConnection || this.redis.status === 'end') return;
    const ended = new Promise<void>((resolve) => this.redis.once('end', () => resolve()));
    await this.redis.quit().catch(() => this.redis.disconnect());
    await ended;
  }

  private async acquire(name: string, token: string, key: string): Promise<void> {
    const { ttlMs, waitMs, retryMinMs, retryMaxMs } = this.options;
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      if ((await this.redis.set(name, token, 'PX', ttlMs, 'NX')) === 'OK') return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new LockWaitTimeout(key);
      const ceiling = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(attempt, 16));
      const delay = Math.min(remaining, retryMinMs + Math.random() * (ceiling - retryMinMs));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private keepRenewing(name: string, token: string): NodeJS.Timeout {
    const timer = setInterval(
      () => {
        this.redis.eval(RENEW, 1, name, token, String(this.options.ttlMs)).catch(() => undefined);
      },
      Math.max(1, Math.floor(this.options.ttlMs / 3)),
    );
    timer.unref();
    return timer;
  }
}
