import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { progressSocketRoute } from '../common/progress-socket.js';
import { IdParams, problems } from '../common/schemas.js';
import { ClaimActionBody, ClaimActionDetailSchema, ClaimActionJobQuery, ClaimActionJobSchema } from './schemas.js';
import type { ClaimActionService } from './service.js';

const ACTORS = ['creditor', 'mediator', 'court'] as const;

export const claimActionRoutes: FastifyPluginAsyncTypebox<{ actions: ClaimActionService }> = async (
  app,
  { actions },
) => {
  app.post('/api/claims/actions', {
    config: { access: ACTORS },
    schema: {
      tags: ['claims'],
      summary: 'Run one lifecycle action over many claims (up to 100,000) as a job',
      description:
        'The claims by id or by the filters of GET /api/claims, within your tenancy: each claim is done or refused on its own with the rule, exactly as the single-claim route would; a claim you may not see is reported not_found and never acted on. 202 starts the job (follow it at GET /api/claims/actions/:id or /ws/claims/actions/:id); the same request sent again with its clientKey answers 200 with the same job, and goes on with it if a stop interrupted it; another request under a used key is 409.',
      body: ClaimActionBody,
      response: {
        200: ClaimActionJobSchema,
        202: ClaimActionJobSchema,
        ...problems(400, 401, 403, 409, 422),
      },
    },
    handler: async (request, reply) => {
      const { created, job } = actions.start(principalOf(request), request.body);
      return reply
        .status(created ? 202 : 200)
        .header('location', `/api/claims/actions/${job.id}`)
        .send(job);
    },
  });

  app.get('/api/claims/actions/:id', {
    config: { access: ACTORS },
    schema: {
      tags: ['claims'],
      summary: 'A claim action job: progress, and the outcome per claim in pages',
      params: IdParams,
      querystring: ClaimActionJobQuery,
      response: { 200: ClaimActionDetailSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => actions.detail(principalOf(request), request.params.id, request.query),
  });

  progressSocketRoute(app, '/ws/claims/actions/:id', {
    access: ACTORS,
    tag: 'claims',
    summary: 'Progress of a claim action job pushed as JSON frames: {type: snapshot|progress|finished, job}',
    source: (request, id) => ({
      snapshot: () => {
        const job = actions.summary(principalOf(request), id);
        return { fields: { job }, running: job.status === 'running' };
      },
      subscribe: (listener) => actions.live.subscribe(id, listener),
    }),
  });
};
