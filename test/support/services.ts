import pg from 'pg';
import { Redis } from 'ioredis';

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const PROBE_TIMEOUT_MS = 3000;

/**
 * Whether a service the tests need answers. In CI its absence is a failure (a
 * suite that silently skips proves nothing); elsewhere the tests skip and say why.
 */
async function serviceAvailable(name: string, url: string, probe: () => Promise<void>): Promise<boolean> {
  try {
    await withTimeout(probe(), PROBE_TIMEOUT_MS);
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI) {
      throw new Error(`${name} is required in CI but cannot be reached at ${redact(url)}: ${reason}`);
    }
    console.warn(`skipping ${name} tests: cannot reach ${redact(url)} (${reason}); set CI=1 to make this an error`);
    return false;
  }
}

export function postgresAvailable(url: string = POSTGRES_URL): Promise<boolean> {
  return serviceAvailable('PostgreSQL', url, async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}

export function redisAvailable(url: string = REDIS_URL): Promise<boolean> {
  return serviceAvailable('Redis', url, async () => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: PROBE_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  });
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
