import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyCors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
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

type HeaderSet = Readonly<Record<string, string>>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The fixed headers of every answer of this route, chosen once when the route is added. */
    answerHeaders?: HeaderSet;
  }
}

/**
 * The headers Helmet sets with these options, collected once: they depend on
 * nothing in the request (no CSP nonces here), so building Helmet's middleware
 * chain on every request, as its Fastify plugin does, would only cost time.
 */
function helmetHeaders(options: HelmetOptions): HeaderSet {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    // Helmet removes X-Powered-By, which Fastify never sets.
    removeHeader() {},
  };
  // Helmet 8 throws on bad options rather than passing them on; `next` has nothing to do.
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

const API_HEADERS = helmetHeaders({ contentSecurityPolicy: API_CSP, frameguard: { action: 'deny' } });
const DOCS_HEADERS = helmetHeaders({ contentSecurityPolicy: DOCS_CSP, frameguard: { action: 'deny' } });
const PRIVATE_HEADERS: HeaderSet = Object.freeze({ ...API_HEADERS, 'cache-control': 'no-store' });

function headersForPath(path: string): HeaderSet {
  if (path === DOCS_PREFIX || path.startsWith(`${DOCS_PREFIX}/`)) return DOCS_HEADERS;
  return PRIVATE_ANSWERS.test(path) ? PRIVATE_HEADERS : API_HEADERS;
}

function setAll(reply: FastifyReply, headers: HeaderSet): void {
  for (const name in headers) reply.header(name, headers[name]);
}

/**
 * The security headers for an answer that no route produced: errors Fastify raises
 * before routing (a malformed URL), which skip every hook.
 */
export function addSecurityHeaders(reply: FastifyReply): void {
  setAll(reply, headersForPath(reply.request.url));
}

/**
 * Security headers (Helmet's, computed once) on every answer, with a CSP that
 * lets the Swagger UI under /docs work; CORS only for the configured origins
 * (none: no CORS headers at all); `Cache-Control: no-store` on answers with
 * guest data. Each route's set is chosen once, when it is added; answers of no
 * route (404) by their path. Register before the routes.
 */
export async function registerSecurityHeaders(server: FastifyInstance, { corsOrigins }: Pick<Protection, 'corsOrigins'>): Promise<void> {
  server.addHook('onRoute', (route) => {
    // A wildcard route (the CORS preflight's `*`, the docs' static files) is judged by each request's path.
    if (!route.url.includes('*')) route.config = { ...route.config, answerHeaders: headersForPath(route.url) };
  });

  if (corsOrigins.length > 0) {
    await server.register(fastifyCors, {
      origin: corsOrigins,
      methods: CORS_METHODS,
      exposedHeaders: CORS_EXPOSED,
      maxAge: 600,
    });
  }

  // Set as the answer leaves, so that every answer gets them, whichever hook or handler produced it.
  server.addHook('onSend', (request, reply, payload, done) => {
    const headers = request.routeOptions.config.answerHeaders;
    // A request to a fixed route matches a private pattern exactly when its route does.
    setAll(reply, headers ?? headersForPath(request.url));
    done(null, payload);
  });
}
