import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiKeyBodySchema,
  apiKeyListSchema,
  apiKeyParamsSchema,
  createdApiKeySchema,
  createUserBodySchema,
  loginBodySchema,
  logoutBodySchema,
  memberBodySchema,
  memberListSchema,
  memberParamsSchema,
  memberViewSchema,
  meViewSchema,
  refreshBodySchema,
  restaurantParamsSchema,
  tokenPairSchema,
  userViewSchema,
} from '../../../application/contracts/access.js';
import { errorBodySchema } from '../../../application/contracts/errors.js';
import { callerOf } from '../requestContext.js';
import type { RouteOptions } from './bookingRoutes.js';

const errors = { '4xx': errorBodySchema };

/** Sign-in, tokens, users, members and API keys (SPEC §5). */
export const accessRoutes: FastifyPluginAsyncZod<RouteOptions> = async (server, { app, hidden }) => {
  const tags = ['access'];

  server.post('/auth/login', {
    config: { op: 'login' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Sign in: an access token (JWT, ~15 min) and a refresh token',
      body: loginBodySchema,
      response: { 200: tokenPairSchema, ...errors },
    },
    handler: async (request) => app.login(request.body),
  });

  server.post('/auth/refresh', {
    config: { op: 'refresh' },
    schema: {
      hide: hidden,
      tags,
      summary: 'A new token pair; the refresh token sent is spent, and sending a spent one revokes its whole sign-in',
      body: refreshBodySchema,
      response: { 200: tokenPairSchema, ...errors },
    },
    handler: async (request) => app.refresh(request.body.refreshToken),
  });

  server.post('/auth/logout', {
    config: { op: 'logout' },
    schema: {
      hide: hidden,
      tags,
      summary: 'End the sign-in of the refresh token sent',
      body: logoutBodySchema,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await app.logout(request.body?.refreshToken);
      return reply.code(204).send(null);
    },
  });

  server.get('/auth/me', {
    config: { op: 'me' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Who the credentials sent belong to, and their roles',
      response: { 200: meViewSchema, ...errors },
    },
    handler: async (request) => app.me(callerOf(request)),
  });

  server.post('/admin/users', {
    config: { op: 'create_user' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Create a staff user (platform admin)',
      body: createUserBodySchema,
      response: { 201: userViewSchema, ...errors },
    },
    handler: async (request, reply) => reply.code(201).send(await app.createUser(request.body, callerOf(request))),
  });

  server.post('/restaurants/:id/members', {
    config: { op: 'add_member' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Give a user a role in the restaurant (owner)',
      params: restaurantParamsSchema,
      body: memberBodySchema,
      response: { 201: memberViewSchema, ...errors },
    },
    handler: async (request, reply) => reply.code(201).send(await app.addMember(request.params.id, request.body, callerOf(request))),
  });

  server.get('/restaurants/:id/members', {
    config: { op: 'list_members' },
    schema: {
      hide: hidden,
      tags,
      summary: "The restaurant's members (owner)",
      params: restaurantParamsSchema,
      response: { 200: memberListSchema, ...errors },
    },
    handler: async (request) => app.listMembers(request.params.id, callerOf(request)),
  });

  server.delete('/restaurants/:id/members/:userId', {
    config: { op: 'remove_member' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Take a user’s role away (owner)',
      params: memberParamsSchema,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await app.removeMember(request.params.id, request.params.userId, callerOf(request));
      return reply.code(204).send(null);
    },
  });

  server.post('/restaurants/:id/api-keys', {
    config: { op: 'create_api_key' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Issue an API key for integrators (owner); the key is shown in this answer only',
      params: restaurantParamsSchema,
      body: apiKeyBodySchema,
      response: { 201: createdApiKeySchema, ...errors },
    },
    handler: async (request, reply) => reply.code(201).send(await app.createApiKey(request.params.id, request.body, callerOf(request))),
  });

  server.get('/restaurants/:id/api-keys', {
    config: { op: 'list_api_keys' },
    schema: {
      hide: hidden,
      tags,
      summary: "The restaurant's API keys, without the keys",
      params: restaurantParamsSchema,
      response: { 200: apiKeyListSchema, ...errors },
    },
    handler: async (request) => app.listApiKeys(request.params.id, callerOf(request)),
  });

  server.delete('/restaurants/:id/api-keys/:keyId', {
    config: { op: 'revoke_api_key' },
    schema: {
      hide: hidden,
      tags,
      summary: 'Revoke an API key: it answers 401 from now on',
      params: apiKeyParamsSchema,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await app.revokeApiKey(request.params.id, request.params.keyId, callerOf(request));
      return reply.code(204).send(null);
    },
  });
};
