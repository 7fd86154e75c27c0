import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STATUSES_BY_STAGE, TRANSITIONS } from '../../domain/lifecycle.js';
import { principalOf } from '../../plugins/auth.js';
import { IdParams, problems } from '../common/schemas.js';
import { ClaimDetailSchema, ClaimEventsSchema, ClaimListQuery, ClaimPageSchema, TransitionBody } from './schemas.js';
import type { ClaimService } from './service.js';

const READERS = ['creditor', 'mediator', 'court'] as const;

export const claimRoutes: FastifyPluginAsyncTypebox<{ claims: ClaimService }> = async (app, { claims }) => {
  app.get('/api/claims', {
    config: { access: READERS },
    schema: {
      tags: ['claims'],
      summary: 'List the claims you may see, with filters and keyset pagination',
      querystring: ClaimListQuery,
      response: { 200: ClaimPageSchema, ...problems(400, 401, 403) },
    },
    handler: async (request) => claims.list(principalOf(request), request.query),
  });

  app.get('/api/claims/:id', {
    config: { access: READERS },
    schema: {
      tags: ['claims'],
      summary: 'One claim, with its court cases, payments and credit records',
      params: IdParams,
      response: { 200: ClaimDetailSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      const claim = claims.get(principalOf(request), request.params.id);
      return reply.header('etag', `"${claim.version}"`).send(claim);
    },
  });

  app.get('/api/claims/:id/events', {
    config: { access: READERS },
    schema: {
      tags: ['claims'],
      summary: "The claim's event log and whether its hash chain verifies",
      params: IdParams,
      response: { 200: ClaimEventsSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => claims.events(principalOf(request), request.params.id),
  });

  app.post('/api/claims/:id/transitions', {
    config: { access: READERS },
    schema: {
      tags: ['claims'],
      summary: 'Run a lifecycle action on the claim',
      description:
        'Give the version you read; 409 with code version_conflict if it changed, or transition_forbidden with the lifecycle reason.',
      params: IdParams,
      body: TransitionBody,
      response: { 200: Type.Ref('Claim'), ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => claims.transition(principalOf(request), request.params.id, request.body),
  });
};

export const lifecycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/lifecycle', {
    config: { access: ['admin', 'creditor', 'mediator', 'court'] },
    schema: {
      tags: ['claims'],
      summary: 'The claim lifecycle: stages, statuses and the transition table',
      response: {
        200: Type.Object({
          stages: Type.Record(Type.String(), Type.Array(Type.String())),
          transitions: Type.Array(
            Type.Object({
              action: Type.String(),
              from: Type.Array(Type.String()),
              to: Type.Union([
                Type.Object({ stage: Type.Optional(Type.String()), status: Type.String() }),
                Type.Null(),
              ]),
              actors: Type.Array(Type.String()),
              when: Type.Union([Type.String(), Type.Null()]),
              onHold: Type.String(),
              summary: Type.String(),
            }),
          ),
        }),
        ...problems(401, 403),
      },
    },
    handler: async () => ({
      stages: STATUSES_BY_STAGE as unknown as Record<string, string[]>,
      transitions: TRANSITIONS.map((t) => ({
        action: t.action,
        from: [...t.from],
        to: t.to ?? null,
        actors: [...t.actors],
        when: t.when ?? null,
        onHold: t.onHold,
        summary: t.summary,
      })),
    }),
  });
};
