import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import { dayReportQuerySchema, dayReportSchema } from '../../../application/contracts/reports.js';
import { settingsIdParamsSchema } from '../../../application/contracts/settings.js';
import { turnTimesQuerySchema, turnTimesViewSchema } from '../../../application/contracts/turnTimes.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

/** Reports for managers (SPEC §10): what a service day did, built from the log, and the turn times learned from it. */
export const reportRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  server.get('/reports/day', {
    config: { op: 'day_report' },
    schema: {
      hide: hidden,
      tags: ['reports'],
      summary:
        'Covers, parties, no-show and cancellation rates, turn times, seat use, waitlist, pacing per 15 minutes and the hindsight share for a service date (managers)',
      querystring: dayReportQuerySchema,
      response: { 200: dayReportSchema, '4xx': errorBodySchema },
    },
    handler: async (request) => app.dayReport(request.query, callerOf(request)),
  });

  server.get('/restaurants/:id/turn-times', {
    config: { op: 'turn_times' },
    schema: {
      hide: hidden,
      tags: ['reports'],
      summary:
        'How long parties stay, learned from seated → finished by party size, weekday and service, with sample counts and prediction errors (managers)',
      params: settingsIdParamsSchema,
      querystring: turnTimesQuerySchema,
      response: { 200: turnTimesViewSchema, '4xx': errorBodySchema },
    },
    handler: async (request) => app.turnTimes(request.params.id, request.query, callerOf(request)),
  });
};
