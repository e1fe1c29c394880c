import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ANONYMOUS, type Principal } from '../../application/access/principal.js';
import type { WokiBrain } from '../../application/wokiBrain.js';
import { AppError } from '../../errors/catalogue.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, resolved from its credentials before anything else runs. */
    principal: Principal;
    /** Why the credentials sent were refused, until the refusal is answered. */
    credentialError: unknown;
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** `Authorization: Bearer <token>`; an Authorization header of any other form is refused, not ignored. */
function bearerOf(request: FastifyRequest): string | undefined {
  const value = header(request, 'authorization');
  if (value === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) throw new AppError('unauthorized', 'send credentials as Authorization: Bearer <token>');
  return match[1];
}

/**
 * Resolves the principal of every request in `onRequest`, so that rate limits and
 * every route see it. What it may do is decided by the application. A request
 * with no credential header at all is anonymous at once, without a promise.
 */
export function registerAuthentication(server: FastifyInstance, app: WokiBrain): void {
  // Fastify wants a primitive placeholder; every request gets its principal in onRequest below.
  server.decorateRequest('principal', null as never);
  server.decorateRequest('credentialError', null);
  server.addHook('onRequest', (request, _reply, done) => {
    request.principal = ANONYMOUS;
    const { headers } = request;
    if (headers['x-admin-secret'] === undefined && headers.authorization === undefined && headers['x-api-key'] === undefined) {
      done();
      return;
    }
    // Refused later, in preValidation: the rate limiter (a route hook) first counts the attempt by address,
    // so guessing secrets, keys or tokens is limited like any other anonymous traffic.
    const refuse = (error: unknown) => {
      request.credentialError = error;
      done();
    };
    try {
      const presented = { adminSecret: header(request, 'x-admin-secret'), bearer: bearerOf(request), apiKey: header(request, 'x-api-key') };
      app.authenticate(presented).then((principal) => {
        request.principal = principal;
        done();
      }, refuse);
    } catch (error) {
      refuse(error);
    }
  });
  server.addHook('preValidation', (request, _reply, done) => {
    const refusal = request.credentialError;
    if (refusal) done(refusal as FastifyError);
    else done();
  });
}
