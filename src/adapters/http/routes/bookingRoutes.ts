import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  bookingIdParamsSchema,
  bookingViewSchema,
  createBookingBodySchema,
  dayQuerySchema,
  dayResponseSchema,
  discoverQuerySchema,
  discoverResponseSchema,
  idempotencyKeySchema,
} from '../../../application/contracts/bookings.js';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import { waitlistEntryViewSchema, waitlistIdParamsSchema } from '../../../application/contracts/waitlist.js';
import { bookingHistorySchema } from '../../../application/contracts/history.js';
import type { WokiBrain } from '../../../application/wokiBrain.js';
import { strictLimit } from '../abuse.js';
import { callerOf } from '../requestContext.js';

export interface RouteOptions {
  app: WokiBrain;
  /** The root mount repeats /api/v1 for the challenge's clients; only one is documented. */
  hidden: boolean;
}

const errors = { '4xx': errorBodySchema };

export const bookingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const tags = ['bookings'];

  server.get('/woki/discover', {
    config: { op: 'discover' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Ranked seating candidates for a party; changes nothing',
      querystring: discoverQuerySchema,
      response: { 200: discoverResponseSchema, ...errors },
    },
    handler: async (request) => app.discover(request.query, callerOf(request)),
  });

  server.post('/woki/bookings', {
    config: { op: 'create_booking', ...strictLimit('create') },
    schema: {
      hide: hidden,
      tags,
      summary: 'Book the best candidate still free, atomically (or join the waitlist: 202); Idempotency-Key makes retries safe',
      headers: z.object({ 'idempotency-key': idempotencyKeySchema.optional() }),
      body: createBookingBodySchema,
      response: { 201: bookingViewSchema, 202: waitlistEntryViewSchema, ...errors },
    },
    handler: async (request, reply) => {
      const outcome = await app.createBooking(request.body, callerOf(request), request.headers['idempotency-key']);
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return outcome.status === 201 ? reply.code(201).send(outcome.body) : reply.code(202).send(outcome.body);
    },
  });

  const listDay = {
    config: { op: 'list_day' },
    schema: {
      hide: hidden,
      tags,
      summary: "A sector's bookings for one service date, by start",
      querystring: dayQuerySchema,
      response: { 200: dayResponseSchema, ...errors },
    },
  };
  server.get('/woki/bookings/day', { ...listDay, handler: async (request) => app.listDay(request.query, callerOf(request)) });
  server.get('/woki/bookings', {
    ...listDay,
    schema: { ...listDay.schema, hide: true },
    handler: async (request) => app.listDay(request.query, callerOf(request)),
  });

  server.get('/woki/bookings/:id', {
    config: { op: 'get_booking' },
    schema: { hide: hidden, tags, summary: 'One booking', params: bookingIdParamsSchema, response: { 200: bookingViewSchema, ...errors } },
    handler: async (request) => app.getBooking(request.params.id, callerOf(request)),
  });

  server.get('/woki/bookings/:id/history', {
    config: { op: 'booking_history' },
    schema: {
      hide: hidden,
      tags,
      summary: "The booking's events, oldest first, with the booking as it stood after each",
      params: bookingIdParamsSchema,
      response: { 200: bookingHistorySchema, ...errors },
    },
    handler: async (request) => app.bookingHistory(request.params.id, callerOf(request)),
  });

  server.get('/woki/waitlist/:id', {
    config: { op: 'get_waitlist_entry' },
    schema: {
      hide: hidden,
      tags,
      summary: 'A waitlist entry; once BOOKED it names its booking',
      params: waitlistIdParamsSchema,
      response: { 200: waitlistEntryViewSchema, ...errors },
    },
    handler: async (request) => app.getWaitlistEntry(request.params.id, callerOf(request)),
  });

  server.delete('/woki/waitlist/:id', {
    config: { op: 'leave_waitlist' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Leave the waitlist; leaving twice is fine',
      params: waitlistIdParamsSchema,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await app.leaveWaitlist(request.params.id, callerOf(request));
      return reply.code(204).send(null);
    },
  });

  server.delete('/woki/bookings/:id', {
    config: { op: 'cancel_booking' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Cancel a booking and free its seats at once; cancelling twice is fine',
      params: bookingIdParamsSchema,
      response: { 204: z.null().describe('Cancelled'), ...errors },
    },
    handler: async (request, reply) => {
      await app.cancelBooking(request.params.id, callerOf(request));
      return reply.code(204).send(null);
    },
  });
};
