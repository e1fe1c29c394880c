import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/catalogue.js';
import { sendError } from './errorHandler.js';

/** What Node reports when it cannot parse a request (`clientError`). */
interface ClientError extends Error {
  code?: string;
}

/** How long a refused connection may keep sending before it is cut, once the answer is written. */
const LINGER_MS = 2_000;

/** Sockets already answered: Node reports every later chunk of a broken request again. */
const answered = new WeakSet<Socket>();

function clientErrorToAppError(error: ClientError): AppError | undefined {
  switch (error.code) {
    case 'ECONNRESET':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('header_too_large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('request_timeout');
    default:
      return new AppError('invalid_input', `The request is not valid HTTP/1.1 (${error.code ?? 'unparseable'}).`);
  }
}

/**
 * Fastify's `clientErrorHandler`: requests Node cannot parse (a request line or headers over
 * the 16 KiB limit, a garbage request line, a timeout) get the catalogue's `{error, detail}`
 * and `Connection: close`, then the connection ends. The socket is half-closed and lingers a
 * moment, rather than being destroyed at once, so that a client still sending the rest of a
 * huge request reads the answer instead of a reset.
 */
export function answerClientErrors(logger: FastifyBaseLogger): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    if (answered.has(socket) || socket.destroyed) return;
    answered.add(socket);
    const appError = clientErrorToAppError(error);
    if (!appError) {
      socket.destroy();
      return;
    }
    logger.debug({ code: error.code, status: appError.status }, 'unparseable request refused');
    // A response still being written on this connection would be corrupted by ours: just close.
    const inFlight = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
    if (!socket.writable || inFlight) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(appError.toBody());
    socket.end(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? 'Error'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
    const cut = setTimeout(() => socket.destroy(), LINGER_MS);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
  };
}

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), except that an empty body
 * counts as no body: clients such as the original SDK send `Content-Type: application/json`
 * on a DELETE without one. Whitespace or anything malformed is still 400 `invalid_input`.
 */
export function acceptEmptyJsonBodies(server: FastifyInstance): void {
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.length === 0) return done(null, undefined);
    return parseJson(request, text, done);
  });
}

/**
 * The not-found handler: a path that some route serves with other methods answers 405
 * `method_not_allowed` with `Allow` listing them; any other path 404 `not_found`.
 */
export function notFoundOrWrongMethod(server: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = server.supportedMethods
      .filter((method) => method !== request.method && server.findRoute({ method, url: path }) !== null)
      .sort();
    // CORS answers preflights on every path (`OPTIONS *`): that alone does not make a path known.
    if (allowed.some((method) => method !== 'OPTIONS')) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        new AppError('method_not_allowed', `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`),
        request,
        reply,
      );
    }
    return sendError(new AppError('not_found', `no route ${request.method} ${path}`), request, reply);
  };
}
