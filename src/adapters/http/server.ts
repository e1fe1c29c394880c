import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { WokiBrain } from '../../application/wokiBrain.js';
import type { DependencyCheck } from '../runtime/health.js';
import { DEFAULT_PROTECTION, registerRateLimits, type Protection } from './abuse.js';
import { sendError } from './errorHandler.js';
import { registerMetrics } from './metrics.js';
import { acceptEmptyJsonBodies, answerClientErrors, notFoundOrWrongMethod } from './protocol.js';
import { registerRequestLog } from './requestContext.js';
import { addSecurityHeaders, registerSecurityHeaders } from './securityHeaders.js';
import { registerAuthentication } from './authentication.js';
import { accessRoutes } from './routes/accessRoutes.js';
import { adminRoutes } from './routes/adminRoutes.js';
import { blackoutRoutes } from './routes/blackoutRoutes.js';
import { bookingRoutes } from './routes/bookingRoutes.js';
import type { StoreProbe } from '../../application/ports/readModel.js';
import { healthRoutes } from './routes/healthRoutes.js';
import { staffRoutes } from './routes/staffRoutes.js';
import { settingsRoutes } from './routes/settingsRoutes.js';
import { floorRoutes } from './routes/floorRoutes.js';
import { reportRoutes } from './routes/reportRoutes.js';
import { guestRoutes } from './routes/guestRoutes.js';

export interface HttpOptions {
  app: WokiBrain;
  logger: Logger;
  version: string;
  /** Rate limits, proxy trust and CORS (SPEC §5 "Abuse"); `serve` passes the configuration. */
  protection?: Protection;
  /** What readiness pings (`SELECT 1`): never a query that grows with the data. */
  store: StoreProbe;
  /** Dependencies whose loss readiness reports as `degraded` (Redis locks). */
  checks?: DependencyCheck[] | undefined;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildHttpServer({
  app,
  logger,
  version,
  protection = DEFAULT_PROTECTION,
  store,
  checks = [],
}: HttpOptions): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Our own onResponse hook writes the one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: protection.trustProxy,
    // Errors raised before routing (a malformed URL, say) answer in the catalogue's shape too.
    // No hook runs for them, so they get the security headers here.
    frameworkErrors: (error, request, reply) => {
      addSecurityHeaders(reply);
      return sendError(Object.assign(error, { statusCode: error.statusCode ?? 400 }), request, reply);
    },
    // And so do requests Node cannot parse (431, a garbage request line), which then close the connection.
    clientErrorHandler: answerClientErrors(logger as FastifyBaseLogger),
  }).withTypeProvider<ZodTypeProvider>();

  server.setValidatorCompiler(validatorCompiler);
  // Responses are typed by the compiler; serialising through Zod again would only cost time.
  server.setSerializerCompiler(() => (data) => JSON.stringify(data));
  server.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  server.setNotFoundHandler(notFoundOrWrongMethod(server));
  acceptEmptyJsonBodies(server);
  registerRequestLog(server, logger);
  // Headers and CORS first, so that even an answer from a failed credential check carries them.
  await registerSecurityHeaders(server, protection);
  registerAuthentication(server, app);
  const metrics = registerMetrics(server);
  await registerRateLimits(server, protection);

  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'WokiBrain',
        version,
        description: 'Restaurant booking engine. Every path below is also served without the /api/v1 prefix. Errors are {error, detail}.',
      },
      tags: [
        { name: 'bookings' },
        { name: 'floor' },
        { name: 'blackouts' },
        { name: 'reports' },
        { name: 'admin' },
        { name: 'operations' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await server.register(fastifySwaggerUi, { routePrefix: '/docs' });

  for (const [prefix, hidden] of [
    ['/api/v1', false],
    ['', true],
  ] as const) {
    await server.register(healthRoutes, { prefix, app, store, metrics, hidden, checks });
    await server.register(bookingRoutes, { prefix, app, hidden });
    await server.register(adminRoutes, { prefix, app, hidden });
    await server.register(staffRoutes, { prefix, app, hidden });
    await server.register(floorRoutes, { prefix, app, hidden });
    await server.register(blackoutRoutes, { prefix, app, hidden });
    await server.register(accessRoutes, { prefix, app, hidden });
    await server.register(settingsRoutes, { prefix, app, hidden });
    await server.register(reportRoutes, { prefix, app, hidden });
    await server.register(guestRoutes, { prefix, app, hidden });
  }

  for (const prefix of ['/api/v1', '']) {
    server.get(`${prefix}/openapi.json`, { schema: { hide: true } }, async () => server.swagger());
    server.get(`${prefix}/openapi.yaml`, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('application/yaml').send(server.swagger({ yaml: true })),
    );
  }
  return server;
}
