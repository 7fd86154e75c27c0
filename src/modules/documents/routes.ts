/** The documents API: generating one, a claim's documents, a PDF, and batch jobs with their progress socket. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { issuanceTable } from '../../domain/document-issuance.js';
import { principalOf } from '../../plugins/auth.js';
import { sendDownload } from '../common/download.js';
import { progressSocketRoute } from '../common/progress-socket.js';
import { Id, IdParams, problems } from '../common/schemas.js';
import {
  BatchBody,
  DocumentSchema,
  GenerateBody,
  IssuanceRuleSchema,
  JobDetailSchema,
  JobQuery,
  JobSchema,
  RevokeBody,
} from './schemas.js';
import type { DocumentService } from './service.js';

/** Staff who issue documents: creditors (users and API keys), mediators and court staff. */
export const ISSUERS = ['creditor', 'mediator', 'court'] as const;
/** Who may read a claim's documents: its staff, and the debtor for their own claims. */
const READERS = [...ISSUERS, 'debtor'] as const;

export const documentRoutes: FastifyPluginAsyncTypebox<{ documents: DocumentService }> = async (app, { documents }) => {
  app.post('/api/claims/:id/documents', {
    config: { access: ISSUERS },
    schema: {
      tags: ['documents'],
      summary: 'Generate a document of a kind for the claim',
      description:
        '201 with the new document; 200 with the existing one if the claim has this kind already (send newVersion: true for a new version). ' +
        '403 not_issuer when your organisation does not issue this kind for the claim; 409 document_not_allowed naming the rule ' +
        'of the issuance table (GET /api/documents/issuance) the claim does not meet now; 422 missing_data naming what the claim lacks.',
      params: IdParams,
      body: GenerateBody,
      response: { 200: DocumentSchema, 201: DocumentSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => {
      const { created, document } = await documents.generate(
        principalOf(request),
        request.params.id,
        request.body.kind,
        { newVersion: request.body.newVersion ?? false },
      );
      return reply
        .status(created ? 201 : 200)
        .header('location', `/api/documents/${document.id}/pdf`)
        .send(document);
    },
  });

  app.get('/api/claims/:id/documents', {
    config: { access: READERS },
    schema: {
      tags: ['documents'],
      summary: 'The documents of a claim, every version',
      params: IdParams,
      response: { 200: Type.Array(DocumentSchema), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => documents.listForClaim(principalOf(request), request.params.id),
  });

  app.get('/api/documents/:id/pdf', {
    config: { access: READERS },
    schema: {
      tags: ['documents'],
      summary: 'A document as PDF',
      params: IdParams,
      produces: ['application/pdf'],
      response: problems(400, 401, 403, 404),
    },
    handler: async (request, reply) => {
      const { fileName, bytes } = documents.pdf(principalOf(request), request.params.id);
      return sendDownload(reply, { fileName, mime: 'application/pdf', bytes });
    },
  });

  app.post('/api/documents/:id/revoke', {
    config: { access: ISSUERS },
    schema: {
      tags: ['documents'],
      summary: 'Revoke a document that no longer states what is true',
      description:
        'The issuing organisation only (403 not_issuer otherwise). Writes a document.revoked event on the claim; /verify then ' +
        'answers status revoked with the date. Revoking a revoked document answers it unchanged.',
      params: IdParams,
      body: RevokeBody,
      response: { 200: DocumentSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => documents.revoke(principalOf(request), request.params.id, request.body.reason),
  });

  app.get('/api/documents/issuance', {
    config: { access: ['admin', ...ISSUERS] },
    schema: {
      tags: ['documents'],
      summary: 'When each kind of document may be issued: the positions of the claim, the facts and the issuer',
      response: { 200: Type.Array(IssuanceRuleSchema), ...problems(401, 403) },
    },
    handler: async () => issuanceTable(),
  });

  app.post('/api/documents/batch', {
    config: { access: ISSUERS },
    schema: {
      tags: ['documents'],
      summary: 'Generate a kind of document for every claim matching the filters',
      description:
        'The filters are those of GET /api/claims, within your tenancy. 202: follow the job at GET /api/documents/jobs/:id or /ws/documents/jobs/:id.',
      body: BatchBody,
      response: { 202: Type.Object({ jobId: Id, ...JobSchema.properties }), ...problems(400, 401, 403, 422) },
    },
    handler: async (request, reply) => {
      const job = documents.startBatch(principalOf(request), request.body.kind, request.body.filter);
      return reply
        .status(202)
        .header('location', `/api/documents/jobs/${job.id}`)
        .send({ jobId: job.id, ...job });
    },
  });

  app.get('/api/documents/jobs/:id', {
    config: { access: ISSUERS },
    schema: {
      tags: ['documents'],
      summary: 'A document job: progress and the result per claim',
      params: IdParams,
      querystring: JobQuery,
      response: { 200: JobDetailSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => documents.job(principalOf(request), request.params.id, request.query.status),
  });

  app.get('/api/documents/jobs/:id/print.pdf', {
    config: { access: ISSUERS },
    schema: {
      tags: ['documents'],
      summary: 'Every document the job generated, in one PDF for a print centre',
      params: IdParams,
      produces: ['application/pdf'],
      response: problems(400, 401, 403, 404, 422),
    },
    handler: async (request, reply) => {
      const { fileName, bytes } = documents.printFile(principalOf(request), request.params.id);
      return sendDownload(reply, { fileName, mime: 'application/pdf', bytes });
    },
  });

  progressSocketRoute(app, '/ws/documents/jobs/:id', {
    access: ISSUERS,
    tag: 'documents',
    summary: 'Progress of a document job pushed as JSON frames: {type: snapshot|progress|finished, job}',
    source: (request, id) => ({
      snapshot: () => {
        const job = documents.jobSummary(principalOf(request), id);
        return { fields: { job }, running: job.status === 'running' };
      },
      subscribe: (listener) => documents.live.subscribe(id, listener),
    }),
  });
};
