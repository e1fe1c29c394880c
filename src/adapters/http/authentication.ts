import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ANONYMOUS, type Principal } from '../../application/access/principal.js';
import type { WokiBrain } from '../../application/wokiBrain.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, resolved from its credentials before anything else runs. */
    principal: Principal;
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** `Authorization: Bearer <token>`; any other scheme counts as no bearer token. */
function bearerOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(request, 'authorization') ?? '');
  return match?.[1];
}

/**
 * Resolves the principal of every request in `onRequest`, so that rate limits and
 * every route see it. What it may do is decided by the application.
 */
export function registerAuthentication(server: FastifyInstance, app: WokiBrain): void {
  // Fastify wants a primitive placeholder; every request gets its principal in onRequest below.
  server.decorateRequest('principal', null as never);
  server.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    const presented = { adminSecret: header(request, 'x-admin-secret'), bearer: bearerOf(request), apiKey: header(request, 'x-api-key') };
    request.principal = await app.authenticate(presented);
  });
}
