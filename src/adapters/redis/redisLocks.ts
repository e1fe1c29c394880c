import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LockManager } from '../../application/ports/runtime.js';
import { AppError } from '../../errors/catalogue.js';
import type { DependencyCheck, DependencyHealth } from '../runtime/health.js';
import { InProcessLocks } from '../runtime/inProcessLocks.js';
import { logThrottle } from '../runtime/logThrottle.js';

/** Where the connection's trouble is reported: the application's pino logger fits. */
export interface LockLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

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
  /** How long one Redis command may take before the lock is given up on (connections this instance opens). */
  commandTimeoutMs?: number;
  /** After a failed command, how long callers skip Redis and lock within this process only. */
  bypassMs?: number;
  /** At most one line per kind of trouble per this many milliseconds. */
  logEveryMs?: number;
  logger?: LockLogger;
}

const DEFAULTS = {
  ttlMs: 10_000,
  waitMs: 15_000,
  retryMinMs: 5,
  retryMaxMs: 100,
  renew: true,
  prefix: 'wokibrain:lock:',
  commandTimeoutMs: 500,
  bypassMs: 1_000,
  logEveryMs: 10_000,
};

/** How long callers wait for the first connection after start before locking without Redis. */
const FIRST_CONNECT_WAIT_MS = 2_000;

/** A failed command keeps readiness `degraded` this long, unless a later command succeeds. */
const FAILURE_MEMORY_MS = 10_000;

const silent: LockLogger = { info: () => undefined, warn: () => undefined };

const kindOf = (error: unknown) => (error instanceof Error ? ((error as Error & { code?: string }).code ?? error.name) : 'unknown');
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
 * lowers contention; the store still refuses double bookings on its own. So when
 * Redis cannot be reached the work goes on under a lock of this process alone, at
 * once (no waiting on a dead connection), readiness says `degraded`, the trouble is
 * logged at a bounded rate, and shared locks resume when the connection is back.
 */
export class RedisLocks implements LockManager, DependencyCheck {
  readonly name = 'redis';
  readonly redis: Redis;
  private readonly options: Required<Omit<RedisLocksOptions, 'logger'>>;
  private readonly ownsConnection: boolean;
  private readonly local = new InProcessLocks();
  private readonly logger: LockLogger;
  private readonly throttled: ReturnType<typeof logThrottle>;
  /** The last command failure while the connection looked ready; cleared by the next success. */
  private failure: { message: string; at: number } | undefined;
  private wasReady = false;
  private readyLogged = false;
  /** A loss was logged: its recovery is logged too, whatever the throttle says. */
  private lossLogged = false;
  /** Settles on the first connection's outcome (or after `FIRST_CONNECT_WAIT_MS`): only then do callers wait for Redis. */
  private readonly firstAttempt: Promise<void>;

  constructor(redis: Redis | string, options: RedisLocksOptions = {}) {
    const { logger, ...rest } = options;
    this.options = { ...DEFAULTS, ...rest };
    this.logger = logger ?? silent;
    this.throttled = logThrottle(this.options.logEveryMs);
    this.ownsConnection = typeof redis === 'string';
    this.redis =
      typeof redis === 'string'
        ? new Redis(redis, {
            // Commands fail at once while disconnected instead of queueing for a reconnect.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            commandTimeout: this.options.commandTimeoutMs,
            connectTimeout: 2_000,
          })
        : redis;
    this.watchConnection();
    this.firstAttempt = this.settleFirstAttempt();
  }

  /** `degraded` while the connection is down, or its last command failed in the last 10 s. */
  health(): DependencyHealth {
    if (this.redis.status !== 'ready') {
      return { status: 'degraded', detail: `redis is ${this.redis.status}: sector locks are per process until it answers` };
    }
    const recent = this.failure && Date.now() - this.failure.at < FAILURE_MEMORY_MS ? this.failure : undefined;
    if (recent) return { status: 'degraded', detail: `redis failed a lock command (${recent.message}): sector locks are per process` };
    return { status: 'ok' };
  }

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const name = this.options.prefix + key;
    const token = randomBytes(16).toString('hex');
    let shared: boolean;
    try {
      shared = await this.acquire(name, token, key);
    } catch (error) {
      if (error instanceof LockWaitTimeout) throw error;
      this.commandFailed(error);
      // The SET may have reached Redis before the failure: free it if so, or it lapses at its TTL.
      this.redis.eval(RELEASE, 1, name, token).catch(() => undefined);
      shared = false;
    }
    if (!shared) return this.local.withLock(key, work);
    const renewal = this.options.renew ? this.keepRenewing(name, token) : undefined;
    try {
      return await work();
    } finally {
      if (renewal) clearInterval(renewal);
      // A failed release only leaves the lock to lapse at its TTL.
      await this.redis.eval(RELEASE, 1, name, token).catch(() => undefined);
    }
  }

  mark(): number {
    return 0;
  }

  /** Always: holders in other processes finish unseen. */
  releasedSince(): boolean {
    return true;
  }

  /** Closes the connection if this instance opened it. */
  async close(): Promise<void> {
    if (!this.ownsConnection || this.redis.status === 'end') return;
    const ended = new Promise<void>((resolve) => this.redis.once('end', () => resolve()));
    await this.redis.quit().catch(() => this.redis.disconnect());
    // A connection between reconnect attempts has no socket left to report its end.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
  }

  private settleFirstAttempt(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        for (const event of ['ready', 'error', 'close'] as const) this.redis.off(event, settle);
        resolve();
      };
      const timer = setTimeout(settle, FIRST_CONNECT_WAIT_MS);
      timer.unref();
      for (const event of ['ready', 'error', 'close'] as const) this.redis.once(event, settle);
    });
  }

  /** Whether Redis is worth asking: connected, and no command failed in the last `bypassMs`. */
  private usable(): boolean {
    if (this.redis.status !== 'ready') return false;
    return !this.failure || Date.now() - this.failure.at >= this.options.bypassMs;
  }

  /** True once the shared lock is ours; false when Redis is not worth asking (lock locally). */
  private async acquire(name: string, token: string, key: string): Promise<boolean> {
    const { ttlMs, waitMs, retryMinMs, retryMaxMs } = this.options;
    const deadline = Date.now() + waitMs;
    // Only a process that has just started waits, for its first connection; later outages never wait.
    if (this.redis.status !== 'ready') await this.firstAttempt;
    for (let attempt = 0; ; attempt++) {
      if (!this.usable()) return false;
      const answer = await this.redis.set(name, token, 'PX', ttlMs, 'NX');
      this.failure = undefined;
      if (answer === 'OK') return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new LockWaitTimeout(key);
      const ceiling = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(attempt, 16));
      const delay = Math.min(remaining, retryMinMs + Math.random() * (ceiling - retryMinMs));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private commandFailed(error: unknown): void {
    this.failure = { message: messageOf(error), at: Date.now() };
    this.throttled(`command:${kindOf(error)}`, (suppressed) =>
      this.logger.warn(
        { redis: { code: kindOf(error), message: messageOf(error) }, suppressed },
        'redis lock command failed: locking within this process only',
      ),
    );
  }

  /**
   * Listening to `error` also keeps ioredis from printing each connection error with its
   * stack on stderr; every line goes through the logger instead, at most one per kind and
   * `logEveryMs`.
   */
  private watchConnection(): void {
    this.redis.on('error', (error: unknown) =>
      this.throttled(`error:${kindOf(error)}`, (suppressed) =>
        this.logger.warn({ redis: { code: kindOf(error), message: messageOf(error) }, suppressed }, 'redis connection error'),
      ),
    );
    // Transitions only; a connection that flaps logs at most one loss (and its recovery) per `logEveryMs`.
    this.redis.on('ready', () => {
      this.failure = undefined;
      if (this.wasReady) return;
      this.wasReady = true;
      if (this.lossLogged) {
        this.lossLogged = false;
        this.logger.info({}, 'redis connection restored: sector locks are shared again');
      } else if (!this.readyLogged) {
        this.readyLogged = true;
        this.logger.info({}, 'redis ready: sector locks are shared');
      }
    });
    this.redis.on('close', () => {
      if (!this.wasReady) return;
      this.wasReady = false;
      this.throttled('lost', (suppressed) => {
        this.lossLogged = true;
        this.logger.warn({ suppressed }, 'redis connection lost: sector locks are per process until it is back');
      });
    });
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
