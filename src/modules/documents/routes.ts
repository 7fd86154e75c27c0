import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../plugins/auth.js';
import { sendDownload } from '../common/download.js';
import { Id, IdParams, problems } from '../common/schemas.js';
import {
  BatchBody,
  DocumentSchema,
  FileCheckSchema,
  GenerateBody,
  JobDetailSchema,
  JobQuery,
  JobSchema,
  type JobView,
  KindParams,
  TEMPLATE_MAX_CHARS,
  TemplateBody,
  TemplateSchema,
  TemplateVersionSchema,
  VerificationSchema,
  VerifyParams,
} from './schemas.js';
import type { DocumentService } from './service.js';
import type { TemplateService } from './template-service.js';
import { fileCheckPage, prefersHtml, unknownCodePage, VERIFY_PAGE_CSP, verifiedPage } from './verify-page.js';

/** Staff who issue documents: creditors (users and API keys), mediators and court staff. */
const ISSUERS = ['creditor', 'mediator', 'court'] as const;
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
        '403 not_issuer when your organisation does not issue this kind for the claim; 422 missing_data naming what the claim lacks.',
      params: IdParams,
      body: GenerateBody,
      response: { 200: DocumentSchema, 201: DocumentSchema, ...problems(400, 401, 403, 404, 422) },
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

  app.get(
    '/ws/documents/jobs/:id',
    {
      config: { access: ISSUERS },
      websocket: true,
      schema: {
        tags: ['documents'],
        summary: 'Progress of a document job pushed as JSON frames: {type: snapshot|progress|finished, job}',
        params: IdParams,
      },
    },
    (socket: WebSocket, request: FastifyRequest) => {
      const id = (request.params as { id: number }).id;
      let job: JobView;
      try {
        job = documents.jobSummary(principalOf(request), id);
      } catch {
        socket.close(4404, 'not found');
        return;
      }
      socket.send(JSON.stringify({ type: 'snapshot', job }));
      if (job.status !== 'running') {
        socket.close(1000, 'finished');
        return;
      }
      const off = documents.live.subscribe(id, (e) => {
        socket.send(JSON.stringify(e));
        if (e.type === 'finished') socket.close(1000, 'finished');
      });
      socket.on('close', off);
    },
  );
};

export const templateRoutes: FastifyPluginAsyncTypebox<{ templates: TemplateService }> = async (app, { templates }) => {
  app.get('/api/templates/:kind', {
    config: { access: ['admin', ...ISSUERS] },
    schema: {
      tags: ['templates'],
      summary: 'The template your organisation uses for a kind, its versions and the placeholders it may use',
      params: KindParams,
      response: { 200: TemplateSchema, ...problems(400, 401, 403) },
    },
    handler: async (request) => templates.view(principalOf(request), request.params.kind),
  });

  app.put('/api/templates/:kind', {
    config: { access: ['admin', 'creditor', 'mediator'] },
    bodyLimit: TEMPLATE_MAX_CHARS * 4,
    schema: {
      tags: ['templates'],
      summary: "Add a version of a template: your organisation's own, or the platform default (admins)",
      description:
        'The Handlebars text as text/plain, or application/json {body}. 422 names each problem: a syntax error, an unknown placeholder, ' +
        "a required field the template leaves out, court wording on a document that is not a court's, or an unknown @directive, with its line. " +
        '200 when the text is the same as the latest version.',
      params: KindParams,
      body: {
        content: {
          'application/json': { schema: TemplateBody },
          'text/plain': { schema: Type.String({ minLength: 1, maxLength: TEMPLATE_MAX_CHARS }) },
        },
      } as never,
      response: { 200: TemplateVersionSchema, 201: TemplateVersionSchema, ...problems(400, 401, 403, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      const raw = request.body as string | { body: string } | undefined;
      if (raw === undefined)
        throw new AppError(
          'unsupported_media_type',
          'Send the template as text/plain, or as application/json {"body": "..."}.',
        );
      const { created, template } = templates.upload(
        principalOf(request),
        request.params.kind,
        typeof raw === 'string' ? raw : raw.body,
      );
      return reply.status(created ? 201 : 200).send(template);
    },
  });
};

/** Largest PDF accepted for a byte-for-byte check. */
const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

export const verifyRoutes: FastifyPluginAsyncTypebox<{ documents: DocumentService }> = async (app, { documents }) => {
  app.addContentTypeParser(
    'application/pdf',
    { parseAs: 'buffer', bodyLimit: VERIFY_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );

  /** The answer as a page for browsers, as JSON otherwise; an unknown code is a 404 either way. */
  const answer = async <T>(request: FastifyRequest, reply: FastifyReply, check: () => T, html: (v: T) => string) => {
    const wantsHtml = prefersHtml(request.headers.accept);
    let result: T;
    try {
      result = check();
    } catch (err) {
      if (wantsHtml && err instanceof AppError && err.code === 'not_found') {
        return reply
          .status(404)
          .type('text/html; charset=utf-8')
          .header('content-security-policy', VERIFY_PAGE_CSP)
          .send(unknownCodePage());
      }
      throw err;
    }
    reply.header('cache-control', 'no-store');
    if (wantsHtml)
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', VERIFY_PAGE_CSP)
        .send(html(result));
    return reply.send(result);
  };

  app.get('/verify/:code', {
    config: { access: 'public' },
    schema: {
      tags: ['verify'],
      summary: "Check a document's verification code (public)",
      description:
        'Whether the code belongs to a document this platform issued: its kind, number, issuer and date; never personal data. A small page for browsers (Accept: text/html).',
      params: VerifyParams,
      response: { 200: VerificationSchema, ...problems(400, 404) },
    },
    handler: async (request, reply) =>
      answer(request, reply, () => documents.verify(request.params.code), verifiedPage),
  });

  app.post('/verify/:code', {
    config: { access: 'public' },
    bodyLimit: VERIFY_MAX_BYTES,
    schema: {
      tags: ['verify'],
      summary: 'Check that a PDF is the registered document, unaltered (public)',
      description:
        'Upload the PDF as multipart/form-data (field `file`) or as an application/pdf body. unaltered: true when it is byte for byte the registered file.',
      params: VerifyParams,
      response: { 200: FileCheckSchema, ...problems(400, 404, 413, 415) },
    },
    handler: async (request, reply) => {
      let bytes: Buffer;
      if (request.isMultipart()) {
        const part = await request.file({ limits: { fileSize: VERIFY_MAX_BYTES, files: 1 } }).catch(tooLarge);
        if (part?.fieldname !== 'file') {
          part?.file.resume();
          throw new AppError('validation_failed', 'Attach the PDF in the field named "file".', {
            fields: [{ field: '/body/file', message: 'is required' }],
          });
        }
        bytes = await part.toBuffer().catch(tooLarge);
      } else if (Buffer.isBuffer(request.body)) {
        bytes = request.body;
      } else {
        throw new AppError(
          'unsupported_media_type',
          'Send the PDF as multipart/form-data in the field "file", or as an application/pdf body.',
        );
      }
      return answer(request, reply, () => documents.verifyFile(request.params.code, bytes), fileCheckPage);
    },
  });
};

function tooLarge(err: unknown): never {
  if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
    throw new AppError(
      'payload_too_large',
      `The file is larger than ${VERIFY_MAX_BYTES / 1024 / 1024} MB; a registered document is much smaller.`,
    );
  throw err;
}
