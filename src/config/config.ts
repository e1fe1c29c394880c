import { isIP } from 'node:net';
import { z } from 'zod';

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Requests per minute each client may send (SPEC §5 "Abuse"). */
export interface RateLimits {
  /** Anonymous callers, counted by IP. */
  anonymousMax: number;
  /** Users, API keys and the admin, counted by who they are. */
  authenticatedMax: number;
  /** Creates (bookings, walk-ins), per client, on top of the budget above. */
  createMax: number;
  /** Login attempts per IP. */
  loginMax: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { anonymousMax: 300, authenticatedMax: 3000, createMax: 30, loginMax: 10 };

/** Fastify's `trustProxy`: off, on (trust every hop), or the proxies' addresses and CIDR ranges. */
type TrustProxy = boolean | string[];

const perMinute = (fallback: number) => z.coerce.number<string>().pipe(z.int().min(1).max(100_000_000)).default(fallback);

const environment = z.object({
  PORT: z.coerce.number<string>().pipe(z.int().min(0).max(65535)).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ADMIN_SECRET: z
    .string()
    .refine((secret) => secret.trim().length >= 12, { message: 'must be at least 12 characters, not counting surrounding blanks' })
    .optional(),
  JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
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
  TRUST_PROXY: z.string().default('false'),
  RATE_LIMIT_MAX: perMinute(DEFAULT_RATE_LIMITS.anonymousMax),
  RATE_LIMIT_AUTHENTICATED_MAX: perMinute(DEFAULT_RATE_LIMITS.authenticatedMax),
  RATE_LIMIT_CREATE_MAX: perMinute(DEFAULT_RATE_LIMITS.createMax),
  RATE_LIMIT_LOGIN_MAX: perMinute(DEFAULT_RATE_LIMITS.loginMax),
  CORS_ORIGINS: z.string().default(''),
});

export interface Config {
  port: number;
  host: string;
  /** Undefined when ADMIN_SECRET is unset: the server then makes one up and keeps it in DATA_DIR/secrets.json. */
  adminSecret: string | undefined;
  /** Signs access tokens and guest manage tokens; generated into DATA_DIR/secrets.json when unset. */
  jwtSecret: string | undefined;
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
  /** Whether `X-Forwarded-For` names the client; off unless the server sits behind a known proxy. */
  trustProxy: TrustProxy;
  rateLimits: RateLimits;
  /** Origins a browser may call from (CORS); empty: no CORS headers at all. */
  corsOrigins: string[];
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
    jwtSecret: values.JWT_SECRET,
    logLevel: values.LOG_LEVEL,
    idempotencyRetentionMs: values.IDEMPOTENCY_RETENTION_SECONDS * 1000,
    seedDemo: values.SEED_DEMO === 'true',
    discoverCacheEntries: values.DISCOVER_CACHE_ENTRIES,
    sweepMs: values.SWEEP_MS,
    store: values.STORE,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    trustProxy: parseTrustProxy(values.TRUST_PROXY),
    rateLimits: {
      anonymousMax: values.RATE_LIMIT_MAX,
      authenticatedMax: values.RATE_LIMIT_AUTHENTICATED_MAX,
      createMax: values.RATE_LIMIT_CREATE_MAX,
      loginMax: values.RATE_LIMIT_LOGIN_MAX,
    },
    corsOrigins: parseOrigins(values.CORS_ORIGINS),
  };
  if (config.store === 'postgres' && !config.databaseUrl) {
    throw new Error('invalid configuration: STORE=postgres needs DATABASE_URL');
  }
  return config;
}

function parseTrustProxy(value: string): TrustProxy {
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  const proxies = trimmed.split(',').map((entry) => entry.trim());
  const bad = proxies.find((entry) => !isAddressOrRange(entry));
  if (bad !== undefined) {
    throw new Error(`invalid configuration: TRUST_PROXY: '${bad}' is not true, false or an IP address/CIDR range`);
  }
  return proxies;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function parseOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    // An origin is exactly scheme://host[:port]; '*' or a path would not be what the operator meant.
    if (!parsed || parsed.origin !== origin) {
      throw new Error(`invalid configuration: CORS_ORIGINS: '${origin}' is not an origin such as https://app.example.com`);
    }
  }
  return origins;
}
