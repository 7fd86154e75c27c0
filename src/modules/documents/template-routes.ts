/** Templates: the one an organisation uses for a kind, and uploading a version of its own. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../plugins/auth.js';
import { problems } from '../common/schemas.js';
import { ISSUERS } from './routes.js';
import { KindParams, TEMPLATE_MAX_CHARS, TemplateBody, TemplateSchema, TemplateVersionSchema } from './schemas.js';
import type { TemplateService } from './template-service.js';

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
