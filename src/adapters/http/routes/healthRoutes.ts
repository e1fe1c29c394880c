import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WokiBrain } from '../../../application/wokiBrain.js';
import type { StoreProbe } from '../../../application/ports/readModel.js';
import type { Registry } from 'prom-client';
import type { DependencyCheck } from '../../runtime/health.js';
import { callerOf } from '../requestContext.js';

const health = z.object({ status: z.enum(['ok', 'degraded', 'unavailable']), detail: z.string().optional() });

/** Mounted under /api/v1 and at the root, like every route; `hidden` keeps one mount out of the OpenAPI document. */
export const healthRoutes: FastifyPluginAsyncZod<{
  app: WokiBrain;
  store: StoreProbe;
  metrics: Registry;
  hidden: boolean;
  checks: DependencyCheck[];
}> = async (server, { app, store, metrics, hidden, checks }) => {
  const tags = ['operations'];
  server.get('/health', {
    config: { op: 'health' },
    schema: { hide: hidden, tags, summary: 'Up and its store answers (as /health/ready)', response: { 200: health, 503: health } },
    handler: async (request, reply) => readiness(store, checks, request.log).then(([code, body]) => reply.code(code).send(body)),
  });
  server.get('/health/live', {
    config: { op: 'health_live' },
    // Never touches the store, Redis or anything else: a slow dependency must not get the process restarted.
    schema: { hide: hidden, tags, summary: 'The process answers (touches no store)', response: { 200: health } },
    handler: async () => ({ status: 'ok' as const }),
  });
  server.get('/health/ready', {
    config: { op: 'health_ready' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Ready for traffic: the store answers SELECT 1 (200 degraded: Redis is down, locks are per process)',
      response: { 200: health, 503: health },
    },
    handler: async (request, reply) => readiness(store, checks, request.log).then(([code, body]) => reply.code(code).send(body)),
  });
  server.get('/metrics', {
    config: { op: 'metrics' },
    schema: { hide: hidden, tags, summary: 'Prometheus metrics (platform admin: X-Admin-Secret or an admin user’s token)' },
    handler: async (request, reply) => {
      app.requireOperator(callerOf(request));
      return reply.type(metrics.contentType).send(await metrics.metrics());
    },
  });
};

/**
 * One trivial round trip to the store (`SELECT 1`), so that a probe costs the same at any
 * size; counts are in `/admin/info`. 503 only when the store does not answer: nothing works then. A lost Redis answers 200
 * `degraded`: bookings go on (the store refuses double bookings on its own; locks only
 * lower contention), and a 503 would take every process out of the load balancer at once.
 */
async function readiness(
  store: StoreProbe,
  checks: DependencyCheck[],
  log: FastifyBaseLogger,
): Promise<[200 | 503, z.infer<typeof health>]> {
  try {
    await store.ping();
  } catch (error) {
    // The store's own message may name hosts or users: it goes to the log, not to anonymous probes.
    log.error({ err: error }, 'readiness: the store does not answer');
    return [503, { status: 'unavailable', detail: 'the store does not answer' }];
  }
  const degraded = checks.flatMap((check) => {
    const state = check.health();
    return state.status === 'degraded' ? [state.detail] : [];
  });
  return degraded.length === 0 ? [200, { status: 'ok' }] : [200, { status: 'degraded', detail: degraded.join('; ') }];
}
