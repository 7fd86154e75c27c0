import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problems } from '../common/schemas.js';
import { JobNameParams, JobSchema, JobStartedSchema } from './schemas.js';
import type { JobService } from './service.js';

export const jobRoutes: FastifyPluginAsyncTypebox<{ jobs: JobService }> = async (app, { jobs }) => {
  app.get('/api/admin/jobs', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'The scheduled jobs: schedule, last run, items done and the items that failed',
      response: { 200: Type.Array(JobSchema), ...problems(401, 403) },
    },
    handler: async () => jobs.list(),
  });

  app.post('/api/admin/jobs/:name/run', {
    config: { access: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'Run a job now, in a worker thread beside the server',
      description:
        'Answers at once; the run shows in GET /api/admin/jobs. Items are claimed as in every run, so it never repeats what a scheduled run did.',
      params: JobNameParams,
      response: { 202: JobStartedSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => reply.status(202).send(jobs.runNow(request.params.name)),
  });
};
