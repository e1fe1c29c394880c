import { createRequire } from 'node:module';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

type Count = { current: number; ttl: number };
type Counted = (error: Error | null, result?: Count) => void;

/** What the plugin's own stores do: count one more hit on a key within a window (the local one answers at once). */
interface Counter {
  incr(key: string, callback: Counted, timeWindow: number, max: number): void;
}

/*
 * The plugin's own stores, which its entry point does not re-export: the Redis
 * one counts with one Lua script (INCR, PEXPIRE on the first hit of a window),
 * the local one in an LRU map. Both are pinned with the exact plugin version.
 */
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  nameSpace: string,
) => Counter;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache: number,
) => Counter;

const NAMESPACE = 'wokibrain:ratelimit:';
/** Clients remembered per process when counting locally; the least recent are forgotten first. */
const LOCAL_CLIENTS = 20_000;
const FIRST_CONNECT_WAIT_MS = 2_000;

/**
 * A Redis connection for counters that never makes a request wait on Redis: no
 * offline queue (a command while disconnected fails at once), no retries of a
 * command, and a short timeout. It keeps reconnecting in the background.
 */
export function openCounterRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: FIRST_CONNECT_WAIT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  // Outages are reported by the store when they change what it does; the client's own retries would only repeat them.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once the first connection is made or has failed (or after a short wait): the server starts either way. */
export function firstConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS);
    redis.once('ready', done);
    redis.once('error', done);
  });
}

/**
 * The counters behind every limit: in Redis when there is one, so that several
 * processes share each client's budget; in this process's memory otherwise,
 * and also while Redis cannot be reached, so that an outage neither fails
 * requests nor lifts the limits (each process then counts on its own).
 */
class CounterStore implements Counter {
  private readonly local = new LocalStore(false, false, LOCAL_CLIENTS);
  private readonly shared: Counter | undefined;
  private degraded = false;

  constructor(
    private readonly redis: Redis | undefined,
    private readonly log: FastifyBaseLogger,
  ) {
    this.shared = redis ? new RedisStore(false, false, redis, NAMESPACE) : undefined;
  }

  incr(key: string, callback: Counted, timeWindow: number, max: number): void {
    const { redis, shared, local } = this;
    if (!redis || !shared) return local.incr(key, callback, timeWindow, max);
    if (redis.status !== 'ready') {
      this.fallBack(`connection ${redis.status}`);
      return local.incr(key, callback, timeWindow, max);
    }
    shared.incr(
      key,
      (error, result) => {
        if (error || !result) {
          this.fallBack(error?.message ?? 'no answer');
          return local.incr(key, callback, timeWindow, max);
        }
        this.recovered();
        callback(null, result);
      },
      timeWindow,
      max,
    );
  }

  private fallBack(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.log.warn({ reason }, 'rate limits: Redis unreachable, counting in this process until it is back');
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.log.info('rate limits: Redis reachable again, counting there');
  }
}

/** The counters behind every limit (see `registerRateLimits`). */
export function counterStore(redis: Redis | undefined, log: FastifyBaseLogger): Counter {
  return new CounterStore(redis, log);
}
