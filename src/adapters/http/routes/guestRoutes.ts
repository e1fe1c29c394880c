import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import {
  guestIdParamsSchema,
  guestListSchema,
  guestMergeBodySchema,
  guestPatchSchema,
  guestSearchQuerySchema,
  guestViewSchema,
} from '../../../application/contracts/guests.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

/** Guest profiles (SPEC §10): staff search, read, tag and merge them; the owner erases them. */
export const guestRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const common = { hide: hidden, tags: ['guests'], headers: z.object({ 'x-admin-secret': z.string().optional() }) };
  const errors = { '4xx': errorBodySchema };

  server.get('/guests', {
    config: { op: 'search_guests' },
    schema: {
      ...common,
      summary: "Search the restaurant's guests by part of a name, an email or a phone's digits (latest first)",
      querystring: guestSearchQuerySchema,
      response: { 200: guestListSchema, ...errors },
    },
    handler: async (request) => app.searchGuests(request.query, callerOf(request)),
  });

  server.get('/guests/:id', {
    config: { op: 'get_guest' },
    schema: {
      ...common,
      summary: 'A guest profile: contacts, tags, notes, visits, cancellations, no-shows and the latest bookings',
      params: guestIdParamsSchema,
      response: { 200: guestViewSchema, ...errors },
    },
    handler: async (request) => app.getGuest(request.params.id, callerOf(request)),
  });

  server.patch('/guests/:id', {
    config: { op: 'update_guest' },
    schema: {
      ...common,
      summary: "Set a guest's name, tags (the whole list) or notes (`null` clears them)",
      params: guestIdParamsSchema,
      body: guestPatchSchema,
      response: { 200: guestViewSchema, ...errors },
    },
    handler: async (request) => app.updateGuest(request.params.id, request.body, callerOf(request)),
  });

  server.post('/guests/:id/merge', {
    config: { op: 'merge_guests' },
    schema: {
      ...common,
      summary: 'Fold the profile `from` into this one: contacts, tags, notes and bookings',
      params: guestIdParamsSchema,
      body: guestMergeBodySchema,
      response: { 200: guestViewSchema, ...errors },
    },
    handler: async (request) => app.mergeGuests(request.params.id, request.body, callerOf(request)),
  });

  server.delete('/guests/:id', {
    config: { op: 'erase_guest' },
    schema: {
      ...common,
      summary: "Erase a guest's personal data everywhere (owner): profile, bookings, waiting entries and the log's sealed copies",
      params: guestIdParamsSchema,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await app.eraseGuest(request.params.id, callerOf(request));
      return reply.status(204).send(null);
    },
  });
};
