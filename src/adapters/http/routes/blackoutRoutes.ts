import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  blackoutIdParamsSchema,
  blackoutInputSchema,
  blackoutListSchema,
  blackoutResizeSchema,
  blackoutsQuerySchema,
  blackoutViewSchema,
} from '../../../application/contracts/blackouts.js';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

/** Tables out of service; until roles exist, staff use the admin secret. */
export const blackoutRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const common = { hide: hidden, tags: ['blackouts'], headers: z.object({ 'x-admin-secret': z.string().optional() }) };
  const errors = { '4xx': errorBodySchema };

  server.post('/woki/blackouts', {
    config: { op: 'place_blackout' },
    schema: {
      ...common,
      summary: 'Take tables (or the whole sector) out of service; 409 seats_taken lists what is in the way',
      body: blackoutInputSchema,
      response: { 201: blackoutViewSchema, ...errors },
    },
    handler: async (request, reply) => reply.code(201).send(await app.placeBlackout(request.body, callerOf(request))),
  });

  server.get('/woki/blackouts', {
    config: { op: 'list_blackouts' },
    schema: {
      ...common,
      summary: 'Active blackouts of a sector on a local date',
      querystring: blackoutsQuerySchema,
      response: { 200: blackoutListSchema, ...errors },
    },
    handler: async (request) => app.listBlackouts(request.query, callerOf(request)),
  });

  server.patch('/woki/blackouts/:id', {
    config: { op: 'resize_blackout' },
    schema: {
      ...common,
      summary: 'Move the bounds of a blackout',
      params: blackoutIdParamsSchema,
      body: blackoutResizeSchema,
      response: { 200: blackoutViewSchema, ...errors },
    },
    handler: async (request) => app.resizeBlackout(request.params.id, request.body, callerOf(request)),
  });

  server.delete('/woki/blackouts/:id', {
    config: { op: 'lift_blackout' },
    schema: {
      ...common,
      summary: 'Lift a blackout: its seats free at once',
      params: blackoutIdParamsSchema,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await app.liftBlackout(request.params.id, callerOf(request));
      return reply.code(204).send(null);
    },
  });
};
