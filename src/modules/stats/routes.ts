import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { staffOrgId } from '../auth/principal.js';
import { sendDownload } from '../common/download.js';
import { IdParams, problems } from '../common/schemas.js';
import { ForecastSchema, FunnelQuery, FunnelSchema } from './schemas.js';
import type { StatsService } from './service.js';

/** Signed-in staff; an API key has no statistics scope. */
const STAFF = ['admin', 'creditor', 'mediator', 'court'] as const;

const FUNNEL_DESCRIPTION = [
  'Over the claims you may see (an administrator: all), imported from `from` to `to` (Shanghai dates), of one',
  'creditor or batch if given; a creditor or batch you may not see counts nothing. Claims and fen per stage and',
  'status where they stand now, moves between stages and agreements from the events, fen recovered (confirmed',
  'payments less overpayment), completed stays per stage, objections and hardship requests, breaches; the same',
  'per creditor, batch and mediation organisation; and the trend from the daily snapshots in the period (none',
  'for a batch).',
].join(' ');

export const statsRoutes: FastifyPluginAsyncTypebox<{ stats: StatsService }> = async (app, { stats }) => {
  app.get('/api/stats/funnel', {
    config: { access: STAFF },
    schema: {
      tags: ['stats'],
      summary: 'Funnel statistics',
      description: FUNNEL_DESCRIPTION,
      querystring: FunnelQuery,
      response: { 200: FunnelSchema, ...problems(400, 401, 403) },
    },
    handler: async (request) => stats.funnel(principalOf(request), request.query),
  });

  for (const format of ['csv', 'xlsx'] as const)
    app.get(`/api/stats/funnel.${format}`, {
      config: { access: STAFF },
      schema: {
        tags: ['stats'],
        summary: `The funnel statistics as ${format === 'csv' ? 'CSV (UTF-8 with BOM)' : 'an XLSX workbook'}, Chinese headers`,
        description: 'The same query and figures as GET /api/stats/funnel, one table per part.',
        querystring: FunnelQuery,
        produces: [format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: problems(400, 401, 403),
      },
      handler: async (request, reply) =>
        sendDownload(reply, await stats.exportFunnel(principalOf(request), request.query, format)),
    });

  app.get('/api/batches/:id/forecast', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['batches'],
      summary: 'What the batch is expected to yield, from the platform history of comparable claims',
      description: [
        'Comparable: the same five-tier class and amount band. Per stage the claims expected to reach it and to',
        'settle there and the days a stay lasts; the fen expected back with a range that holds about 95% of',
        'outcomes; the expected days from leaving intake to closing. With too little history (fewer than 20',
        'resolved comparable claims) a claim is forecast from the documented defaults, and basis and note say so.',
      ].join(' '),
      params: IdParams,
      response: { 200: ForecastSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => stats.forecast(staffOrgId(principalOf(request)), request.params.id),
  });
};
