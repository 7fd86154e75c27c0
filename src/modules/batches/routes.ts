import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../plugins/auth.js';
import { staffOrgId } from '../auth/principal.js';
import { progressSocketRoute } from '../common/progress-socket.js';
import { IdParams, problems } from '../common/schemas.js';
import { BatchForm, BatchSchema, DryRunReportSchema, type JsonBatch, JsonBatchBody } from './schemas.js';
import type { BatchService } from './service.js';
import { submitterOf } from './submit-batch.js';
import { receiveJson, receiveMultipart } from './upload.js';

export interface BatchRoutesOptions {
  batches: BatchService;
  maxFileBytes: number;
  maxJsonBytes: number;
}

export const batchRoutes: FastifyPluginAsyncTypebox<BatchRoutesOptions> = async (
  app,
  { batches, maxFileBytes, maxJsonBytes },
) => {
  app.post('/api/batches', {
    config: { access: ['creditor'] },
    bodyLimit: maxJsonBytes,
    schema: {
      tags: ['batches'],
      summary: 'Import a batch of claims',
      description: [
        'multipart/form-data: the file (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, or XLSX) in field `file`; optional fields',
        '`strict`, `dryRun`, `charset` (utf-8|gbk|gb18030), `sheet`, `mediationOrg` (id or code), `reference`, `policy` (JSON).',
        'Or application/json {reference, claims: [...]} with the same columns by their English names.',
        '202: the import runs; follow it at GET /api/batches/:id or /ws/batches/:id. 200: the same file was sent before',
        "(the existing batch; a failed one does not count), or a dry run's full report. 409 reference_conflict: the reference",
        'names a batch of other content. 422: the file cannot be imported (missing columns, no rows, not a workbook...).',
      ].join(' '),
      body: { content: { 'application/json': { schema: JsonBatchBody } } } as never,
      multipart: BatchForm,
      response: {
        200: Type.Union([BatchSchema, DryRunReportSchema]),
        202: BatchSchema,
        ...problems(400, 401, 403, 409, 413, 415, 422, 503),
      },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const received = request.isMultipart()
        ? await receiveMultipart(request, batches.spool, maxFileBytes)
        : request.headers['content-type']?.startsWith('application/json')
          ? receiveJson(request.body as JsonBatch, batches.spool)
          : null;
      if (!received)
        throw new AppError(
          'unsupported_media_type',
          'Send the batch as multipart/form-data with the file in field "file", or as application/json.',
        );
      const outcome = await batches.submit(submitterOf(principal), received.upload, received.options);
      if (outcome.kind === 'dry_run') return reply.status(200).send(outcome.report);
      if (outcome.kind === 'existing') return reply.status(200).send(outcome.batch);
      return reply.status(202).header('location', `/api/batches/${outcome.batch.id}`).send(outcome.batch);
    },
  });

  app.get('/api/batches', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['batches'],
      summary: 'Your batches, running ones first, then the latest 100',
      response: { 200: Type.Array(BatchSchema), ...problems(401, 403) },
    },
    handler: async (request) => batches.list(staffOrgId(principalOf(request))),
  });

  app.get('/api/batches/:id', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['batches'],
      summary: 'A batch: status, counts and, while it runs, progress',
      params: IdParams,
      response: { 200: BatchSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => batches.get(staffOrgId(principalOf(request)), request.params.id),
  });

  app.get('/api/batches/:id/errors.csv', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['batches'],
      summary: 'The rejected rows: row number, column, code, message and the original value (masked)',
      description:
        'UTF-8 with BOM, so that Excel on Chinese Windows opens it correctly. Values that look like spreadsheet formulas are escaped.',
      params: IdParams,
      produces: ['text/csv'],
      response: problems(400, 401, 403, 404, 422),
    },
    handler: async (request, reply) => {
      const lines = batches.errorsCsv(staffOrgId(principalOf(request)), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="batch-${request.params.id}-errors.csv"`)
        .send(Readable.from(lines));
    },
  });

  progressSocketRoute(app, '/ws/batches/:id', {
    access: ['creditor'],
    tag: 'batches',
    summary: 'Progress of a batch pushed as JSON frames: {type: snapshot|progress|finished, ...}',
    source: (request, id) => ({
      snapshot: () => {
        const batch = batches.get(staffOrgId(principalOf(request)), id);
        return { fields: { batch }, running: Boolean(batch.progress) };
      },
      subscribe: (listener) => batches.live.subscribe(id, listener),
    }),
  });
};
