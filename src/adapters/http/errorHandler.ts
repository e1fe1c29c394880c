import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError, type ErrorCode } from '../../errors/catalogue.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'header_too_large',
  503: 'unavailable',
};

/** Turns anything thrown into the catalogue's `{error, detail}`; only real faults become 500. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'request';
    const detail = error.validation.map((issue) => `${where}${issue.instancePath.replaceAll('/', '.') || ''}: ${issue.message}`).join('; ');
    return new AppError('invalid_input', detail);
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = CODE_BY_STATUS[status] ?? 'invalid_input';
    const appError = new AppError(code, fastifyError.message || undefined);
    // Keep statuses such as 406 that the catalogue has no code of its own for.
    return Object.assign(appError, { status });
  }
  return new AppError('internal_error');
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
  request.outcome = appError.code;
  // The rate limiter sets Retry-After itself, from the window it counts in.
  if ((appError.code === 'rate_limited' || appError.code === 'idempotency_in_progress') && !reply.hasHeader('retry-after')) {
    reply.header('retry-after', String(appError.extra.retryAfterSeconds ?? 1));
  }
  return reply.code(appError.status).type('application/json; charset=utf-8').send(appError.toBody());
}
