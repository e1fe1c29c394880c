import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Protection } from './abuse.js';

/** Where the Swagger UI is served (see `buildHttpServer`). */
const DOCS_PREFIX = '/docs';

/** JSON answers need nothing from a browser: they may load nothing, and be framed by no one. */
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The Swagger UI page loads its scripts, styles and the spec from this origin;
 * its components set inline styles, and its icons are data: URIs. No
 * `upgrade-insecure-requests`: the docs must work over plain HTTP too.
 */
const DOCS_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
  },
};

/** Answers that carry guest data (or tokens): no cache, shared or private, may keep them. */
const PRIVATE_ANSWERS =
  /^(?:\/api\/v1)?\/(?:woki\/(?:bookings|waitlist|floor|walkins)|guests|auth|admin\/users|restaurants\/[^/?]+\/(?:api-keys|members))(?:[/?]|$)/;

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Headers a browser client may read from a cross-origin answer. */
const CORS_EXPOSED = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'x-request-id', 'idempotent-replayed'];

/**
 * Security headers (Helmet) on every answer, with a CSP that lets the Swagger
 * UI under /docs work; CORS only for the configured origins (none: no CORS
 * headers at all); `Cache-Control: no-store` on answers with guest data.
 * Register before the routes (the /docs CSP is attached as they are added).
 */
export async function registerSecurityHeaders(server: FastifyInstance, { corsOrigins }: Pick<Protection, 'corsOrigins'>): Promise<void> {
  // Before Helmet's own onRoute hook, which reads the route's `helmet` option.
  server.addHook('onRoute', (route) => {
    if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) route.helmet = { contentSecurityPolicy: DOCS_CSP };
  });
  await server.register(fastifyHelmet, { contentSecurityPolicy: API_CSP, frameguard: { action: 'deny' } });

  if (corsOrigins.length > 0) {
    await server.register(fastifyCors, {
      origin: corsOrigins,
      methods: CORS_METHODS,
      exposedHeaders: CORS_EXPOSED,
      maxAge: 600,
    });
  }

  server.addHook('onSend', async (request, reply, payload) => {
    if (PRIVATE_ANSWERS.test(request.url) || PRIVATE_ANSWERS.test(request.routeOptions.url ?? ''))
      reply.header('cache-control', 'no-store');
    return payload;
  });
}
