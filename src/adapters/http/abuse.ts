import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
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

type Budget = 'general' | StrictLimit;

const WHAT: Record<Budget, string> = {
  general: 'requests',
  create: 'creates',
  login: 'login attempts',
};

/** IPv6 normalisation parses the address: remember the last few thousand clients' forms. */
const normalizedIps = new Map<string, string>();
function clientIp(request: FastifyRequest): string {
  const ip = request.ip;
  let normalized = normalizedIps.get(ip);
  if (normalized === undefined) {
    if (normalizedIps.size >= 10_000) normalizedIps.clear();
    normalized = normalizeIP(ip);
    normalizedIps.set(ip, normalized);
  }
  return normalized;
}

/**
 * Whom a request is counted against: a user (`user:<id>`), an API key
 * (`key:<id>`), the bootstrap admin (`admin`), else its IP (`ip:<address>`,
 * IPv6 by /64). A guest's manage token proves no identity, so guests count by IP.
 */
function clientKey(request: FastifyRequest): string {
  const principal = principalOf(request);
  if (principal && (principal.kind === 'admin' || principal.kind === 'user' || principal.kind === 'apiKey')) return actorOf(principal);
  return `ip:${clientIp(request)}`;
}

/**
 * Per-client limits over a one-minute window, counted in Redis when
 * `redisUrl` is set (shared by every process) and in memory otherwise or while
 * Redis is down. Every route registered after this counts against the general
 * budget (anonymous by IP, authenticated by principal with a larger one);
 * creates and logins against a strict budget as well. Over a limit: 429
 * `rate_limited` with `Retry-After`; every limited answer carries
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) of
 * the budget closest to running out.
 *
 * The counting is the rate-limit plugin's own stores (see `rateLimitStore.ts`);
 * which budgets a route counts against is decided once, when the route is added,
 * and a count held in memory answers at once, without a promise.
 */
export async function registerRateLimits(server: FastifyInstance, { rateLimits, redisUrl }: Protection): Promise<void> {
  const redis = redisUrl ? openCounterRedis(redisUrl) : undefined;
  if (redis) {
    server.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    await firstConnection(redis);
  }
  const store = counterStore(redis, server.log);

  /** Whom the budget counts (its key) and how many requests a window it allows. */
  const budgetOf = (name: Budget, request: FastifyRequest): { key: string; max: number } => {
    if (name === 'login') return { key: `login:ip:${clientIp(request)}`, max: rateLimits.loginMax };
    const client = clientKey(request);
    if (name === 'create') return { key: `create:${client}`, max: rateLimits.createMax };
    return { key: `general:${client}`, max: client.startsWith('ip:') ? rateLimits.anonymousMax : rateLimits.authenticatedMax };
  };

  const enforce =
    (names: readonly Budget[]) =>
    (request: FastifyRequest, reply: FastifyReply, done: (error?: FastifyError) => void): void => {
      let tightest: { max: number; remaining: number; reset: number } | undefined;
      let i = 0;
      const next = (): void => {
        const name = names[i++];
        if (name === undefined) {
          if (tightest) rateLimitHeaders(reply, tightest.max, tightest.remaining, tightest.reset);
          done();
          return;
        }
        const { key, max } = budgetOf(name, request);
        store.incr(
          key,
          (error, counted) => {
            // A count that failed lets the request through (the store falls back to memory by itself).
            const current = error || !counted ? 0 : counted.current;
            const reset = error || !counted ? 0 : Math.ceil(counted.ttl / 1000);
            if (current > max) {
              const retryAfter = Math.max(1, reset);
              rateLimitHeaders(reply, max, 0, retryAfter).header('retry-after', String(retryAfter));
              done(
                new AppError(
                  'rate_limited',
                  `Over the limit of ${max} ${WHAT[name]} per minute for this client; retry in ${retryAfter} s.`,
                ) as unknown as FastifyError,
              );
              return;
            }
            const remaining = Math.max(0, max - current);
            if (!tightest || remaining < tightest.remaining) tightest = { max, remaining, reset };
            next();
          },
          WINDOW_MS,
          max,
        );
      };
      next();
    };
  const budgetsOf = (strict: StrictLimit | undefined): readonly Budget[] => (strict ? ['general', strict] : ['general']);

  // As a hook of each route, the check runs after every server-wide onRequest hook, the auth layer's included.
  server.addHook('onRoute', (route) => {
    if (UNLIMITED.has(unprefixed(route.url))) return;
    const strictOf = (method: string) => route.config?.strictLimit ?? STRICT_BY_ROUTE[`${method} ${unprefixed(route.url)}`];
    const methods = [route.method].flat();
    const byMethod = new Map(methods.map((method) => [method, enforce(budgetsOf(strictOf(method)))]));
    const check: onRequestHookHandler =
      byMethod.size === 1 ? byMethod.values().next().value! : (request, reply, done) => byMethod.get(request.method)!(request, reply, done);
    const hooks: onRequestHookHandler[] = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [...hooks, check];
  });
  // Requests that match no route still count.
  const unrouted = enforce(budgetsOf(undefined));
  server.addHook('onRequest', (request, reply, done) => {
    if (request.is404) unrouted(request, reply, done);
    else done();
  });
}
function rateLimitHeaders(reply: FastifyReply, limit: number, remaining: number, resetSeconds: number): FastifyReply {
  return reply
    .header('ratelimit-limit', String(limit))
    .header('ratelimit-remaining', String(remaining))
    .header('ratelimit-reset', String(resetSeconds));
}
