import { z } from 'zod';

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const environment = z.object({
  PORT: z.coerce.number<string>().pipe(z.int().min(0).max(65535)).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ADMIN_SECRET: z.string().min(12, { message: 'must be at least 12 characters' }).optional(),
  LOG_LEVEL: z.enum(levels).default('info'),
  IDEMPOTENCY_RETENTION_SECONDS: z.coerce
    .number<string>()
    .pipe(z.int().min(60, { message: 'must be at least 60 seconds' }))
    .default(86_400),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  DISCOVER_CACHE_ENTRIES: z.coerce.number<string>().pipe(z.int().min(0).max(1_000_000)).default(5_000),
  SWEEP_MS: z.coerce.number<string>().pipe(z.int().min(100).max(600_000)).default(5_000),
  STORE: z.enum(['sqlite', 'postgres', 'memory']).default('sqlite'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
});

export interface Config {
  port: number;
  host: string;
  /** Undefined when ADMIN_SECRET is unset: the server then makes one up and logs it once. */
  adminSecret: string | undefined;
  logLevel: (typeof levels)[number];
  idempotencyRetentionMs: number;
  seedDemo: boolean;
  /** Discover answers kept per process, keyed on the sector revision; 0 turns the cache off. */
  discoverCacheEntries: number;
  /** How often each process expires lapsed holds and promotes the waitlist. */
  sweepMs: number;
  store: 'sqlite' | 'postgres' | 'memory';
  /** Where the SQLite file lives. */
  dataDir: string;
  databaseUrl: string | undefined;
  /** When set, locks go through Redis so that several processes share them. */
  redisUrl: string | undefined;
}

/** Reads the configuration from the environment; a bad value stops the start with its reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${reasons}`);
  }
  const values = parsed.data;
  const config: Config = {
    port: values.PORT,
    host: values.HOST,
    adminSecret: values.ADMIN_SECRET,
    logLevel: values.LOG_LEVEL,
    idempotencyRetentionMs: values.IDEMPOTENCY_RETENTION_SECONDS * 1000,
    seedDemo: values.SEED_DEMO === 'true',
    discoverCacheEntries: values.DISCOVER_CACHE_ENTRIES,
    sweepMs: values.SWEEP_MS,
    store: values.STORE,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
  };
  if (config.store === 'postgres' && !config.databaseUrl) {
    throw new Error('invalid configuration: STORE=postgres needs DATABASE_URL');
  }
  return config;
}
