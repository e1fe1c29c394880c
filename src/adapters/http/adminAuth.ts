import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/catalogue.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** A preHandler that lets through only callers presenting the admin secret. */
export function requireAdminSecret(secret: string) {
  const expected = digest(secret);
  return async (request: FastifyRequest): Promise<void> => {
    const given = request.headers['x-admin-secret'];
    if (typeof given !== 'string' || given.length === 0) {
      throw new AppError('unauthorized', 'send the admin secret in the X-Admin-Secret header');
    }
    // Comparing digests keeps the time constant whatever the lengths.
    if (!timingSafeEqual(digest(given), expected)) {
      throw new AppError('forbidden', 'the X-Admin-Secret header does not match');
    }
    request.actor = 'admin';
  };
}
