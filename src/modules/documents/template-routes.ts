/** Templates: the one an organisation uses for a kind, and uploading a version of its own. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../adapters/clock.js';
import type { PdfRenderer } from '../../adapters/pdf/render-pool.js';
import { AppError } from '../../errors.js';
import { principalOf } from '../../plugins/auth.js';
import { problems } from '../common/schemas.js';
import { ISSUERS } from './routes.js';
import { KindParams, TEMPLATE_MAX_CHARS, TemplateBody, TemplateSchema, TemplateVersionSchema } from './schemas.js';
import type { TemplateService } from './template-service.js';

/** The template text of a request: text/plain, or application/json {body}. */
function templateText(raw: string | { body: string } | undefined): string {
  if (raw === undefined)
    throw new AppError(
      'unsupported_media_type',
      'Send the template as text/plain, or as application/json {"body": "..."}.',
    );
  return typeof raw === 'string' ? raw : raw.body;
}

const TemplateText = {
  content: {
    'application/json': { schema: TemplateBody },
    'text/plain': { schema: Type.String({ minLength: 1, maxLength: TEMPLATE_MAX_CHARS }) },
  },
} as never;

export const templateRoutes: FastifyPluginAsyncTypebox<{
  templates: TemplateService;
  pdf: PdfRenderer;
  clock: Clock;
}> = async (app, { templates, pdf, clock }) => {
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
      body: TemplateText,
      response: { 200: TemplateVersionSchema, 201: TemplateVersionSchema, ...problems(400, 401, 403, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      const body = templateText(request.body as string | { body: string } | undefined);
      const { created, template } = templates.upload(principalOf(request), request.params.kind, body);
      return reply.status(created ? 201 : 200).send(template);
    },
  });

  app.post('/api/templates/:kind/preview', {
    config: { access: ['admin', 'creditor', 'mediator'] },
    bodyLimit: TEMPLATE_MAX_CHARS * 4,
    schema: {
      tags: ['templates'],
      summary: 'A specimen PDF of a template text, filled with sample data; nothing is stored',
      description:
        'Checked exactly as PUT checks an upload: 422 names each problem. The specimen says 样张 where a document has its number, code and seal.',
      params: KindParams,
      body: TemplateText,
      produces: ['application/pdf'],
      response: problems(400, 401, 403, 413, 415, 422),
    },
    handler: async (request, reply) => {
      const body = templateText(request.body as string | { body: string } | undefined);
      const model = templates.preview(principalOf(request), request.params.kind, body);
      const bytes = await pdf.render([model], clock.now());
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="specimen.pdf"; filename*=UTF-8''${encodeURIComponent(`${model.title}（样张）.pdf`)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  });
};
