import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import {
  adminInfoSchema,
  restaurantInputSchema,
  restaurantViewSchema,
  sectorInputSchema,
  sectorViewSchema,
  seedResultSchema,
  tableInputSchema,
  tableViewSchema,
} from '../../../application/contracts/setup.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

export const adminRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const headers = z.object({ 'x-admin-secret': z.string().optional() });
  const common = { hide: hidden, tags: ['admin'], headers };
  const errors = { '4xx': errorBodySchema };

  server.post('/admin/seed', {
    config: { op: 'seed' },
    schema: {
      ...common,
      summary: 'Load the demo data where it is missing',
      response: { 200: seedResultSchema, 201: seedResultSchema, ...errors },
    },
    handler: async (request, reply) => {
      const result = await app.seedDemo(callerOf(request));
      return reply.code(result.created.length > 0 ? 201 : 200).send(result);
    },
  });

  server.post('/admin/restaurants', {
    config: { op: 'register_restaurant' },
    schema: {
      ...common,
      summary: 'Register a restaurant',
      body: restaurantInputSchema,
      response: { 201: restaurantViewSchema, ...errors },
    },
    handler: async (request, reply) => reply.code(201).send(await app.registerRestaurant(request.body, callerOf(request))),
  });

  server.post('/admin/sectors', {
    config: { op: 'add_sector' },
    schema: { ...common, summary: 'Add a sector to a restaurant', body: sectorInputSchema, response: { 201: sectorViewSchema, ...errors } },
    handler: async (request, reply) => reply.code(201).send(await app.addSector(request.body, callerOf(request))),
  });

  server.post('/admin/tables', {
    config: { op: 'add_table' },
    schema: { ...common, summary: 'Add a table to a sector', body: tableInputSchema, response: { 201: tableViewSchema, ...errors } },
    handler: async (request, reply) => reply.code(201).send(await app.addTable(request.body, callerOf(request))),
  });

  server.get('/admin/info', {
    config: { op: 'admin_info' },
    schema: { ...common, summary: 'What this server runs and holds', response: { 200: adminInfoSchema, ...errors } },
    handler: async (request) => app.info(callerOf(request)),
  });
};
