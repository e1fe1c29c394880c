import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookingIdParamsSchema, bookingViewSchema } from '../../../application/contracts/bookings.js';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import { repackParamsSchema, repackQuerySchema, repackReportSchema } from '../../../application/contracts/repack.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

/** Staff operations: answers to large-group holds (hosts) and repack (managers). */
export const staffRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const schema = {
    hide: hidden,
    tags: ['bookings'],
    headers: z.object({ 'x-admin-secret': z.string().optional() }),
    params: bookingIdParamsSchema,
    response: { 200: bookingViewSchema, '4xx': errorBodySchema },
  };

  server.post('/woki/bookings/:id/approve', {
    config: { op: 'approve_hold' },
    schema: { ...schema, summary: 'Confirm a PENDING hold; 409 not_pending when it is not one or has expired' },
    handler: async (request) => app.approveHold(request.params.id, callerOf(request)),
  });

  server.post('/woki/sectors/:id/repack', {
    config: { op: 'repack' },
    schema: {
      hide: hidden,
      tags: ['bookings'],
      summary: "Re-assign a day's tables to cut seat waste and join free time; times never move (dryRun=true: plan only)",
      headers: schema.headers,
      params: repackParamsSchema,
      querystring: repackQuerySchema,
      response: { 200: repackReportSchema, '4xx': errorBodySchema },
    },
    handler: async (request) => app.repackSector(request.params.id, request.query, callerOf(request)),
  });

  server.post('/woki/bookings/:id/reject', {
    config: { op: 'reject_hold' },
    schema: { ...schema, summary: 'Refuse a PENDING hold: its seats free at once' },
    handler: async (request) => app.rejectHold(request.params.id, callerOf(request)),
  });
};
