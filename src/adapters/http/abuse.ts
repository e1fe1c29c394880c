import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { actorOf, type Principal } from '../../application/access/principal.js';
import { DEFAULT_RATE_LIMITS, type Config } from '../../config/config.js';
import { AppError } from '../../errors/catalogue.js';
import { counterStore, firstConnection, openCounterRedis } from './rateLimitStore.js';

/** What the HTTP server needs to defend itself (SPEC §5 "Abuse"); `serve` passes the configuration. */
export type Protection = Pick<Config, 'trustProxy' | 'rateLimits' | 'redisUrl' | 'corsOrigins'>;

export const DEFAULT_PROTECTION: Protection = { trustProxy: false, rateLimits: DEFAULT_RATE_LIMITS, redisUrl: undefined, corsOrigins: [] };

/** The stricter budgets a route can count against on top of the general one. */
export type StrictLimit = 'create' | 'login';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A stricter budget this route also counts against; set it with `strictLimit(…)`. */
    strictLimit?: StrictLimit;
  }
}

/**
 * Route config that puts a route under a stricter limit as well as the general
 * one: `config: { op: 'walk_in', ...strictLimit('create') }`.
 */
export function strictLimit(name: StrictLimit): { strictLimit: StrictLimit } {
  return { strictLimit: name };
}

/** Routes that count against a strict limit even without the config (the auth routes are registered elsewhere). */
const STRICT_BY_ROUTE: Readonly<Record<string, StrictLimit>> = { 'POST /auth/login': 'login' };

/** Orchestrator probes: never limited. */
const UNLIMITED = new Set(['/health', '/health/live', '/health/ready']);

const WINDOW_MS = 60_000;
const API_PREFIX = '/api/v1';

function unprefixed(url: string): string {
  return url.startsWith(`${API_PREFIX}/`) ? url.slice(API_PREFIX.length) : url;
}

/** The auth layer sets `request.principal` in an earlier hook; absent (or not yet built) means anonymous. */
function principalOf(request: FastifyRequest): Principal | undefined {
  const value = (request as { principal?: unknown }).principal;
  if (typeof value !== 'object' || value === null || typeof (value as { kind?: unknown }).kind !== 'string') return undefined;
  return value as Principal;
}

/**
 * Whom a request is counted against: a user (`user:<id>`), an API key
 * (`key:<id>`), the bootstrap admin (`admin`), else its IP (`ip:<address>`,
 * IPv6 by /64). A guest's manage token proves no identity, so guests count by IP.
 */
function clientKey(request: FastifyRequest): string {
  const principal = principalOf(request);
  if (principal && (principal.kind === 'admin' || principal.kind === 'user' || principal.kind === 'apiKey')) return actorOf(principal);
  return `ip:${normalizeIP(request.ip)}`;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type Verdict = Exclude<Awaited<ReturnType<Limiter>>, { isAllowed: true }>;

const WHAT: Record<'general' | StrictLimit, string> = {
  general: 'requests',
  create: 'creates',
  login: 'login attempts',
};

/**
 * Per-client limits over a one-minute window, counted in Redis when
 * `redisUrl` is set (shared by every process) and in memory otherwise or while
 * Redis is down. Every route registered after this counts against the general
 * budget (anonymous by IP, authenticated by principal with a larger one);
 * creates and logins against a strict budget as well. Over a limit: 429
 * `rate_limited` with `Retry-After`; every limited answer carries
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) of
 * the budget closest to running out.
 */
export async function registerRateLimits(server: FastifyInstance, { rateLimits, redisUrl }: Protection): Promise<void> {
  const redis = redisUrl ? openCounterRedis(redisUrl) : undefined;
  if (redis) {
    server.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    await firstConnection(redis);
  }
  await server.register(fastifyRateLimit, {
    global: false,
    store: counterStore(redis, server.log),
    // The store falls back to memory on its own; this only guards against anything it did not foresee.
    skipOnError: true,
  });

  const limiter = (name: 'general' | StrictLimit, max: number | ((key: string) => number), key: (request: FastifyRequest) => string) =>
    server.createRateLimit({
      timeWindow: WINDOW_MS,
      keyGenerator: (request) => `${name}:${key(request)}`,
      max: typeof max === 'number' ? max : (_request, counted) => max(counted),
    });
  const limiters = {
    general: limiter(
      'general',
      (key) => (key.startsWith('general:ip:') ? rateLimits.anonymousMax : rateLimits.authenticatedMax),
      clientKey,
    ),
    create: limiter('create', rateLimits.createMax, clientKey),
    // Whoever logs in is not known yet: attempts count by IP.
    login: limiter('login', rateLimits.loginMax, (request) => `ip:${normalizeIP(request.ip)}`),
  };

  const enforce = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const route = request.routeOptions;
    const strict = route.config.strictLimit ?? STRICT_BY_ROUTE[`${request.method} ${unprefixed(route.url ?? '')}`];
    const names: ('general' | StrictLimit)[] = strict ? ['general', strict] : ['general'];
    let tightest: Verdict | undefined;
    for (const name of names) {
      const verdict = await limiters[name](request);
      if (verdict.isAllowed) continue;
      if (verdict.isExceeded) {
        const retryAfter = Math.max(1, verdict.ttlInSeconds);
        rateLimitHeaders(reply, verdict.max, 0, retryAfter).header('retry-after', String(retryAfter));
        throw new AppError(
          'rate_limited',
          `Over the limit of ${verdict.max} ${WHAT[name]} per minute for this client; retry in ${retryAfter} s.`,
        );
      }
      if (!tightest || verdict.remaining < tightest.remaining) tightest = verdict;
    }
    if (tightest) rateLimitHeaders(reply, tightest.max, tightest.remaining, tightest.ttlInSeconds);
  };

  // As a hook of each route, the check runs after every server-wide onRequest hook, the auth layer's included.
  server.addHook('onRoute', (route) => {
    if (UNLIMITED.has(unprefixed(route.url))) return;
    const hooks: onRequestHookHandler[] = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [...hooks, enforce];
  });
  // Requests that match no route still count.
  server.addHook('onRequest', async (request, reply) => {
    if (request.is404) await enforce(request, reply);
  });
}

function rateLimitHeaders(reply: FastifyReply, limit: number, remaining: number, resetSeconds: number): FastifyReply {
  return reply
    .header('ratelimit-limit', String(limit))
    .header('ratelimit-remaining', String(remaining))
    .header('ratelimit-reset', String(resetSeconds));
}
