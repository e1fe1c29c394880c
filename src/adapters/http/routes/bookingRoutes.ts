import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import {
  bookingIdParamsSchema,
  bookingViewSchema,
  createBookingBodySchema,
  dayQuerySchema,
  dayResponseSchema,
  discoverQuerySchema,
  discoverResponseSchema,
  idempotencyKeySchema,
  noCapacityBodySchema,
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

/** Where a discover answer keeps its own JSON: a symbol, and not enumerable, so that no copy or serialisation sees it. */
const JSON_TEXT = Symbol('discover answer as JSON');

/**
 * A discover answer served from the answer cache is the same object every time:
 * its JSON is kept on it, for as long as the cache keeps the object (answers are
 * never changed once made). A property rather than a WeakMap: with the cache off,
 * every answer is new and a WeakMap would only add work for the collector.
 */
function serializeDiscover(answer: unknown): string {
  if (typeof answer !== 'object' || answer === null) return JSON.stringify(answer);
  const kept = (answer as { [JSON_TEXT]?: string })[JSON_TEXT];
  if (kept !== undefined) return kept;
  const json = JSON.stringify(answer);
  if (Object.isExtensible(answer)) Object.defineProperty(answer, JSON_TEXT, { value: json });
  return json;
}

/** Distinct discover queries remembered as validated: a busy page asks the same few again and again. */
const VALIDATED_QUERIES = 10_000;

/**
 * The Zod validator, remembering the query strings it accepted: validation is a
 * pure function of the fields (no clock, no state), so a query seen before is
 * answered with a copy of what Zod made of it then. Refusals are never
 * remembered: bad input always goes through Zod and gets its 400.
 */
const rememberingValidator: FastifySchemaCompiler<unknown> = (route) => {
  // Every schema of these routes is a Zod type.
  const validate = validatorCompiler(route as Parameters<FastifySchemaCompiler<ZodType>>[0]);
  if (route.httpPart !== 'querystring') return validate;
  const accepted = new Map<string, object>();
  return (data: unknown) => {
    const key = JSON.stringify(data);
    const known = accepted.get(key);
    if (known) return { value: { ...known } };
    const result = validate(data);
    if (typeof result === 'object' && 'value' in result && typeof result.value === 'object' && result.value !== null) {
      if (accepted.size >= VALIDATED_QUERIES) accepted.clear();
      accepted.set(key, { ...result.value });
    }
    return result;
  };
};

export const bookingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const tags = ['bookings'];

  server.get('/woki/discover', {
    config: { op: 'discover' },
    validatorCompiler: rememberingValidator,
    // Answers are typed by the compiler and never validated again (see `buildHttpServer`).
    serializerCompiler: ({ httpStatus }) => (httpStatus === '200' ? serializeDiscover : (data: unknown) => JSON.stringify(data)),
    schema: {
      hide: hidden,
      tags,
      summary: 'Ranked seating candidates for a party; changes nothing',
      querystring: discoverQuerySchema,
      response: { 200: discoverResponseSchema, 409: noCapacityBodySchema, ...errors },
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
      response: { 201: bookingViewSchema, 202: waitlistEntryViewSchema, 409: noCapacityBodySchema, ...errors },
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
