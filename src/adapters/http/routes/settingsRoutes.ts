import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import {
  restaurantPatchSchema,
  sectorPatchSchema,
  settingsIdParamsSchema,
  tablePatchSchema,
} from '../../../application/contracts/settings.js';
import { restaurantViewSchema, sectorViewSchema, tableViewSchema } from '../../../application/contracts/setup.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

/** Managers' service settings (SPEC §9): pacing, channels, the no-show grace. `null` clears a setting. */
export const settingsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const common = {
    hide: hidden,
    tags: ['settings'],
    headers: z.object({ 'x-admin-secret': z.string().optional() }),
    params: settingsIdParamsSchema,
  };
  const errors = { '4xx': errorBodySchema };

  server.patch('/restaurants/:id', {
    config: { op: 'update_restaurant' },
    schema: {
      ...common,
      summary: 'Set the restaurant-wide pacing (covers per 15 minutes across every sector) and the no-show grace (1–240 minutes)',
      body: restaurantPatchSchema,
      response: { 200: restaurantViewSchema, ...errors },
    },
    handler: async (request) => app.updateRestaurant(request.params.id, request.body, callerOf(request)),
  });

  server.patch('/sectors/:id', {
    config: { op: 'update_sector' },
    schema: {
      ...common,
      summary: "Set the sector's pacing and the channels its tables are open to by default",
      body: sectorPatchSchema,
      response: { 200: sectorViewSchema, ...errors },
    },
    handler: async (request) => app.updateSector(request.params.id, request.body, callerOf(request)),
  });

  server.patch('/tables/:id', {
    config: { op: 'update_table' },
    schema: {
      ...common,
      summary: 'Set the channels a table is open to (online, staff, walk_in)',
      body: tablePatchSchema,
      response: { 200: tableViewSchema, ...errors },
    },
    handler: async (request) => app.updateTable(request.params.id, request.body, callerOf(request)),
  });
};
