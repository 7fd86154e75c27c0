/** The public verify page and API: whether a code or a PDF is a document this platform issued. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { FilePart, problems } from '../common/schemas.js';
import { FileCheckSchema, VerificationSchema, VerifyParams } from './schemas.js';
import type { DocumentService } from './service.js';
import { fileCheckPage, prefersHtml, unknownCodePage, VERIFY_PAGE_CSP, verifiedPage } from './verify-page.js';

/**
 * Largest PDF accepted for a byte-for-byte check: the platform's documents are a few pages with a
 * subset font, well under this; the public, unauthenticated route buffers what it accepts.
 */
const VERIFY_MAX_BYTES = 2 * 1024 * 1024;
/** Checks one address may ask for per minute (the route is public and hashes what it is sent). */
const VERIFY_FILE_RATE = { max: 30, timeWindow: 60_000 };

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
    config: { access: 'public', rateLimit: VERIFY_FILE_RATE },
    bodyLimit: VERIFY_MAX_BYTES,
    schema: {
      tags: ['verify'],
      summary: 'Check that a PDF is the registered document, unaltered (public)',
      description:
        'Upload the PDF as multipart/form-data (field `file`) or as an application/pdf body. unaltered: true when it is byte for byte the registered file.',
      params: VerifyParams,
      multipart: Type.Object({ file: FilePart('the PDF to check') }),
      response: { 200: FileCheckSchema, ...problems(400, 404, 413, 415, 429) },
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
