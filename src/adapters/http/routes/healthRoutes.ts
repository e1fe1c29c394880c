import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WokiBrain } from '../../../application/wokiBrain.js';
import type { Registry } from 'prom-client';

const health = z.object({ status: z.enum(['ok', 'unavailable']), detail: z.string().optional() });

export const healthRoutes: FastifyPluginAsyncZod<{ app: WokiBrain; metrics: Registry }> = async (server, { app, metrics }) => {
  const tags = ['operations'];
  server.get('/health', {
    config: { op: 'health' },
    schema: { tags, summary: 'Up and able to read its store', response: { 200: health, 503: health } },
    handler: async (_request, reply) => readiness(app).then(([code, body]) => reply.code(code).send(body)),
  });
  server.get('/health/live', {
    config: { op: 'health_live' },
    schema: { tags, summary: 'The process answers', response: { 200: health } },
    handler: async () => ({ status: 'ok' as const }),
  });
  server.get('/health/ready', {
    config: { op: 'health_ready' },
    schema: { tags, summary: 'Ready for traffic: the store answers', response: { 200: health, 503: health } },
    handler: async (_request, reply) => readiness(app).then(([code, body]) => reply.code(code).send(body)),
  });
  server.get('/metrics', {
    config: { op: 'metrics' },
    schema: { tags, summary: 'Prometheus metrics' },
    handler: async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
  });
};

async function readiness(app: WokiBrain): Promise<[200 | 503, z.infer<typeof health>]> {
  try {
    await app.info();
    return [200, { status: 'ok' }];
  } catch (error) {
    return [503, { status: 'unavailable', detail: error instanceof Error ? error.message : String(error) }];
  }
}
