import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** A registry of this server's own: request counts and latencies per op and outcome. */
export function registerMetrics(server: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wokibrain_' });
  const requests = new Counter({
    name: 'wokibrain_http_requests_total',
    help: 'HTTP requests by op, status and outcome',
    labelNames: ['op', 'status', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'wokibrain_http_request_duration_seconds',
    help: 'HTTP request latency by op',
    labelNames: ['op'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  server.addHook('onResponse', async (request, reply) => {
    const op = request.routeOptions.config.op ?? 'unrouted';
    requests.inc({ op, status: reply.statusCode, outcome: request.outcome });
    latency.observe({ op }, reply.elapsedTime / 1000);
  });
  return registry;
}
