import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { IdParams, Nullable, problems } from '../common/schemas.js';
import {
  ApiKeySchema,
  CreateApiKeyBody,
  CreateOrganisationBody,
  CreateUserBody,
  OrganisationSchema,
  PayeeAccountSchema,
  ResetPasswordBody,
  UserSchema,
} from './schemas.js';
import type { AdminService } from './service.js';

const STAFF = ['admin', 'creditor', 'mediator', 'court'] as const;

export const adminRoutes: FastifyPluginAsyncTypebox<{ admin: AdminService }> = async (app, { admin }) => {
  app.get('/api/organisations', {
    config: { access: STAFF },
    schema: {
      tags: ['admin'],
      summary: 'Directory of organisations',
      response: { 200: Type.Array(OrganisationSchema), ...problems(401, 403) },
    },
    handler: async () => admin.listOrganisations(),
  });

  app.post('/api/organisations', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'Create an organisation',
      body: CreateOrganisationBody,
      response: { 201: OrganisationSchema, ...problems(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) => reply.status(201).send(admin.createOrganisation(request.body)),
  });

  app.get('/api/organisations/:id/payee-account', {
    config: { access: ['admin', 'creditor'] },
    schema: {
      tags: ['admin'],
      summary: "A creditor's payee account (收款账户), printed in its debtors' payment instructions; null when not set",
      params: IdParams,
      response: { 200: Nullable(PayeeAccountSchema), ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => admin.payeeAccount(principalOf(request), request.params.id),
  });

  app.put('/api/organisations/:id/payee-account', {
    config: { access: ['admin', 'creditor'] },
    schema: {
      tags: ['admin'],
      summary:
        "Set a creditor's payee account: its own users or an admin; debtors see it with each instalment's transfer memo",
      params: IdParams,
      body: PayeeAccountSchema,
      response: { 200: PayeeAccountSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => admin.setPayeeAccount(principalOf(request), request.params.id, request.body),
  });

  app.get('/api/users', {
    config: { access: STAFF },
    schema: {
      tags: ['admin'],
      summary: "Users (all for admins, your organisation's otherwise)",
      response: { 200: Type.Array(UserSchema), ...problems(401, 403) },
    },
    handler: async (request) => admin.listUsers(principalOf(request)),
  });

  app.post('/api/users', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'Create a user',
      description:
        "A user made inside a creditor's organisation starts disabled (awaitingApproval) until a user of that creditor or another admin approves it.",
      body: CreateUserBody,
      response: { 201: UserSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await admin.createUser(principalOf(request), request.body)),
  });

  app.post('/api/users/:id/approve', {
    config: { access: ['admin', 'creditor'] },
    schema: {
      tags: ['admin'],
      summary: 'Approve a user an admin made in your organisation (or, as another admin, in any)',
      params: IdParams,
      response: { 200: UserSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => admin.approveUser(principalOf(request), request.params.id),
  });

  app.post('/api/users/:id/disable', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'Disable a user: no more sign-ins, and its sessions end now',
      params: IdParams,
      response: { 200: UserSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => admin.disableUser(principalOf(request), request.params.id),
  });

  app.post('/api/users/:id/password', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: "Reset a user's password (they forgot it): every session of the user ends now",
      params: IdParams,
      body: ResetPasswordBody,
      response: { 200: UserSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => admin.resetPassword(principalOf(request), request.params.id, request.body.password),
  });

  app.get('/api/api-keys', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['admin'],
      summary: "Your organisation's API keys (never the secrets)",
      response: { 200: Type.Array(ApiKeySchema), ...problems(401, 403) },
    },
    handler: async (request) => admin.listApiKeys(principalOf(request)),
  });

  app.post('/api/api-keys', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['admin'],
      summary: "Create an API key for your organisation's systems",
      description:
        'The key is shown in this answer only. Use it as `Authorization: ApiKey <key>`. It may do only what its scopes say, until expiresAt if given; it can never manage keys or users.',
      body: CreateApiKeyBody,
      response: {
        201: Type.Intersect([ApiKeySchema, Type.Object({ key: Type.String() })]),
        ...problems(400, 401, 403, 404, 422),
      },
    },
    handler: async (request, reply) => reply.status(201).send(admin.createApiKey(principalOf(request), request.body)),
  });

  app.delete('/api/api-keys/:id', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['admin'],
      summary: 'Revoke an API key',
      params: IdParams,
      response: { 204: Type.Null(), ...problems(401, 403, 404) },
    },
    handler: async (request, reply) => {
      admin.revokeApiKey(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
};
