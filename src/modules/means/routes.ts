import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { IdParams, Nullable, problems } from '../common/schemas.js';
import { MeansBody, MeansSchema } from './schemas.js';
import type { MeansService } from './service.js';

const DEBTOR = ['debtor'] as const;

export const meansRoutes: FastifyPluginAsyncTypebox<{ means: MeansService }> = async (app, o) => {
  app.get('/api/debtor/means', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'Your latest statement of means',
      response: { 200: Type.Object({ statement: Nullable(MeansSchema) }), ...problems(401, 403) },
    },
    handler: async (request) => ({ statement: o.means.mine(principalOf(request)) }),
  });

  app.post('/api/debtor/means', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'State your monthly income, essential expenses and dependants',
      description: 'Amounts in fen. The mediator sees it, and an affordable plan is suggested from it.',
      body: MeansBody,
      response: { 201: MeansSchema, ...problems(400, 401, 403) },
    },
    handler: async (request, reply) => reply.status(201).send(o.means.record(principalOf(request), request.body)),
  });

  app.get('/api/claims/:id/means', {
    config: { access: ['mediator', 'court'] },
    schema: {
      tags: ['objections'],
      summary: "The latest statement of means of the claim's debtor",
      params: IdParams,
      response: { 200: Type.Object({ statement: Nullable(MeansSchema) }), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => ({ statement: o.means.forClaim(principalOf(request), request.params.id) }),
  });
};
