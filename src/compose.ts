import { join } from 'node:path';
import type { Dependencies } from './application/dependencies.js';
import type { Credentials } from './application/ports/credentials.js';
import { ephemeralCredentials } from './adapters/auth/credentials.js';
import type { AccessStore } from './application/ports/accessStore.js';
import type { GuestStore } from './application/ports/guestStore.js';
import type { EventLogMaintenance, EventStore } from './application/ports/eventStore.js';
import type { SubscriptionStore } from './application/ports/eventSubscriptions.js';
import type { IdempotencyStore } from './application/ports/idempotencyStore.js';
import type { ReadModel, StoreProbe } from './application/ports/readModel.js';
import type { Clock, IdGenerator, LockManager } from './application/ports/runtime.js';
import { createCaches } from './application/caches.js';
import { createWokiBrain, type WokiBrain } from './application/wokiBrain.js';
import { MemoryStore } from './adapters/memory/memoryStore.js';
import { InProcessLocks } from './adapters/runtime/inProcessLocks.js';
import { timeOrderedIds, systemClock } from './adapters/runtime/system.js';
import { SqliteStore } from './adapters/sqlite/sqliteStore.js';
import type { Config } from './config/config.js';
import type { DependencyCheck } from './adapters/runtime/health.js';
import type { LockLogger } from './adapters/redis/redisLocks.js';

export const VERSION = '0.1.0';

/** Everything a storage adapter provides. */
export type Store = EventStore &
  EventLogMaintenance &
  ReadModel &
  StoreProbe &
  IdempotencyStore &
  SubscriptionStore &
  AccessStore &
  GuestStore;

export interface Composition {
  app: WokiBrain;
  deps: Dependencies;
  store: Store;
  /** Closes the store and any lock connection. */
  close(): Promise<void>;
  /** Dependencies that degrade readiness without stopping the service (Redis); none in memory. */
  checks?: DependencyCheck[];
}

export interface ComposeOptions {
  idempotencyRetentionMs?: number;
  idempotencyWaitMs?: number;
  discoverCacheEntries?: number;
  clock?: Clock;
  ids?: IdGenerator;
  /** The keys behind tokens; random ones (nothing kept across restarts) when absent. */
  credentials?: Credentials;
  /** Where the Redis connection reports its trouble (JSON, rate-bounded); silent when absent. */
  logger?: LockLogger;
}

type StoreConfig = Pick<Config, 'store' | 'dataDir' | 'databaseUrl'>;

/** Opens the configured store, running its migrations. */
export async function openStore(config: StoreConfig): Promise<{ store: Store; name: string }> {
  switch (config.store) {
    case 'memory':
      return { store: new MemoryStore(), name: 'memory' };
    case 'sqlite': {
      const file = join(config.dataDir, 'wokibrain.sqlite');
      return { store: SqliteStore.open(file), name: `sqlite:${file}` };
    }
    case 'postgres': {
      const { openPostgresStore } = await import('./adapters/postgres/openPostgresStore.js');
      return { store: await openPostgresStore({ connectionString: config.databaseUrl! }), name: 'postgres' };
    }
  }
}

async function openLocks(
  redisUrl: string | undefined,
  logger: LockLogger | undefined,
): Promise<{ locks: LockManager; close(): Promise<void>; checks: DependencyCheck[] }> {
  if (!redisUrl) return { locks: new InProcessLocks(), close: async () => {}, checks: [] };
  const { RedisLocks } = await import('./adapters/redis/redisLocks.js');
  // An unreachable Redis degrades the locks to this process; it never fails a request.
  const locks = new RedisLocks(redisUrl, logger ? { logger } : {});
  return { locks, close: () => locks.close(), checks: [locks] };
}

/** Wires the application to its adapters: the only place that knows which store runs. */
function composeWith(store: Store, storeName: string, locks: LockManager, options: ComposeOptions = {}) {
  const deps: Dependencies = {
    events: store,
    reads: store,
    idempotency: store,
    access: store,
    guests: store,
    credentials: options.credentials ?? ephemeralCredentials(),
    locks,
    clock: options.clock ?? systemClock,
    ids: options.ids ?? timeOrderedIds,
    caches: createCaches(options.discoverCacheEntries ?? 5_000, options.clock ?? systemClock),
    settings: {
      idempotencyRetentionMs: options.idempotencyRetentionMs ?? 86_400_000,
      idempotencyWaitMs: options.idempotencyWaitMs ?? 10_000,
      storeName,
      version: VERSION,
    },
  };
  return { app: createWokiBrain(deps), deps };
}

export async function composeFromConfig(
  config: StoreConfig & Pick<Config, 'redisUrl' | 'idempotencyRetentionMs'> & Partial<Pick<Config, 'discoverCacheEntries'>>,
  options: ComposeOptions = {},
): Promise<Composition> {
  const { store, name } = await openStore(config);
  const locks = await openLocks(config.redisUrl, options.logger);
  const composed = composeWith(store, name, locks.locks, {
    idempotencyRetentionMs: config.idempotencyRetentionMs,
    ...(config.discoverCacheEntries === undefined ? {} : { discoverCacheEntries: config.discoverCacheEntries }),
    ...options,
  });
  return {
    ...composed,
    store,
    checks: locks.checks,
    close: async () => {
      await locks.close();
      await store.close();
    },
  };
}

export function composeInMemory(options: ComposeOptions = {}): Composition {
  return composeOn(new MemoryStore(), 'memory', options);
}

/** The application on a store already open, with in-process locks: for tests that look at a store's files. */
export function composeOn(store: Store, name: string, options: ComposeOptions = {}): Composition {
  return { ...composeWith(store, name, new InProcessLocks(), options), store, close: () => store.close() };
}
