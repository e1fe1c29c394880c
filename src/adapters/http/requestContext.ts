import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { actorOf } from '../../application/access/principal.js';
import type { Caller } from '../../application/dependencies.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** `ok` or the error code the request ended with, for the request log. */
    outcome: string;
  }
  interface FastifyContextConfig {
    /** The use case a route runs, as logged. */
    op?: string;
  }
}

export function callerOf(request: FastifyRequest): Caller {
  const manageToken = request.headers['x-booking-token'];
  return {
    actor: actorOf(request.principal),
    requestId: request.id,
    principal: request.principal,
    manageToken: typeof manageToken === 'string' ? manageToken : undefined,
    client: request.ip,
  };
}

interface LoggedFields {
  sectorId?: unknown;
  partySize?: unknown;
  duration?: unknown;
  durationMinutes?: unknown;
}

/** One structured line per request: requestId, op, sectorId, partySize, duration, durationMs, outcome. */
export function registerRequestLog(app: FastifyInstance, logger: Pick<Logger, 'isLevelEnabled'>): void {
  app.decorateRequest('outcome', 'ok');
  // Callback hooks: an async one costs a promise per request and does nothing here that waits.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    // Below `info` (the benchmark runs at `warn`) the line is not written: do not build it either.
    if (logger.isLevelEnabled('info')) {
      const fields = { ...(request.query as LoggedFields), ...(request.body as LoggedFields) };
      request.log.info(
        {
          requestId: request.id,
          op: request.routeOptions.config.op ?? request.routeOptions.url ?? 'unrouted',
          sectorId: fields.sectorId,
          partySize: fields.partySize,
          duration: fields.duration ?? fields.durationMinutes,
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
          outcome: request.outcome,
        },
        'request',
      );
    }
    done();
  });
}
