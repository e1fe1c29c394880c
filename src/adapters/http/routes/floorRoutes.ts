import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookingIdParamsSchema, bookingViewSchema } from '../../../application/contracts/bookings.js';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import {
  floorQuerySchema,
  floorViewSchema,
  seatBodySchema,
  walkInBodySchema,
  walkInViewSchema,
} from '../../../application/contracts/floor.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

const noCapacityWithWait = errorBodySchema
  .extend({
    nextFreeAt: z.string().nullable().optional().meta({
      description: 'With no_capacity for a walk-in: the soonest instant a table frees for the whole stay (null: none within 12 hours).',
    }),
  })
  .meta({ id: 'ErrorWithNextFreeAt' });

/** The service floor (SPEC §9): seat, finish, no-show and undo (hosts), walk-ins, and the floor at an instant. */
export const floorRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const tags = ['floor'];
  const step = {
    hide: hidden,
    tags,
    params: bookingIdParamsSchema,
    response: { 200: bookingViewSchema, '4xx': errorBodySchema },
  };

  server.post('/woki/bookings/:id/seat', {
    config: { op: 'seat' },
    schema: {
      ...step,
      summary:
        'Seat a CONFIRMED booking now: late (keeping the booked end) or early when its tables are free; extend: true keeps a whole stay from now',
      body: seatBodySchema,
    },
    handler: async (request) => app.seatBooking(request.params.id, request.body ?? {}, callerOf(request)),
  });

  server.post('/woki/bookings/:id/finish', {
    config: { op: 'finish' },
    schema: { ...step, summary: 'The seated party has left: its tables are free from now (409 when not seated)' },
    handler: async (request) => app.finishBooking(request.params.id, callerOf(request)),
  });

  server.post('/woki/bookings/:id/no-show', {
    config: { op: 'no_show' },
    schema: { ...step, summary: 'Mark a CONFIRMED booking whose start has come a no-show: its tables are free from now' },
    handler: async (request) => app.markNoShow(request.params.id, callerOf(request)),
  });

  server.post('/woki/bookings/:id/undo', {
    config: { op: 'undo_floor_step' },
    schema: {
      ...step,
      summary: 'Take back the last seat, finish or no-show, while its service lasts (409 seats_taken when its tables are no longer free)',
    },
    handler: async (request) => app.undoFloorStep(request.params.id, callerOf(request)),
  });

  server.post('/woki/walkins', {
    config: { op: 'walk_in' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Seat a party without a booking now, on tables open to walk-ins; 409 no_capacity with nextFreeAt when nothing is free',
      body: walkInBodySchema,
      response: { 201: walkInViewSchema, 409: noCapacityWithWait, '4xx': errorBodySchema },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return app.seatWalkIn(request.body, callerOf(request));
    },
  });

  server.get('/woki/floor', {
    config: { op: 'floor' },
    schema: {
      hide: hidden,
      tags,
      summary: "Each table's state at an instant (now by default): free, booked_soon, awaiting, seated or blacked_out",
      querystring: floorQuerySchema,
      response: { 200: floorViewSchema, '4xx': errorBodySchema },
    },
    handler: async (request) => app.floorView(request.query, callerOf(request)),
  });
};
