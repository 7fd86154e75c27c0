import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { IdParams, problems } from '../common/schemas.js';
import {
  DeliveryListSchema,
  DocumentServiceViewSchema,
  PublicNoticeBody,
  QueueDeliveryBody,
  QueueResultSchema,
  ReceiptParams,
} from './schemas.js';
import type { DeliveryService } from './service.js';

const STAFF = ['creditor', 'mediator', 'court'] as const;

/** What a debtor sees when a link is not (or no longer) one of ours: plain, no detail. */
const UNKNOWN_LINK_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>链接无效</title></head>
<body><main style="max-width:32rem;margin:3rem auto;padding:0 1rem;font-family:sans-serif;line-height:1.7">
<h1>链接无效</h1>
<p>此链接不存在或已失效。请核对短信或邮件中的链接是否完整；如有疑问，请联系向您发出通知的调解组织。</p>
</main></body></html>
`;

export const deliveryRoutes: FastifyPluginAsyncTypebox<{ deliveries: DeliveryService }> = async (
  app,
  { deliveries },
) => {
  app.post('/api/documents/:id/deliveries', {
    config: { access: STAFF },
    schema: {
      tags: ['deliveries'],
      summary: 'Send the document to the debtor by e-mail and/or SMS',
      description:
        "Queues one delivery per channel to the debtor's own address on file; the sender job sends it within the contact rules. 201 when something new was queued, 200 when every channel already had one. 422 with `reason` claim_on_hold, invalid_address or debtor_unreachable when nothing could be queued; refusals are written to the contact log.",
      params: IdParams,
      body: QueueDeliveryBody,
      response: { 200: QueueResultSchema, 201: QueueResultSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request, reply) => {
      const result = deliveries.queueDocument(principalOf(request), request.params.id, request.body.channels);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  });

  app.get('/api/documents/:id/deliveries', {
    config: { access: STAFF },
    schema: {
      tags: ['deliveries'],
      summary: 'Deliveries of a document',
      params: IdParams,
      response: { 200: DeliveryListSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => ({ items: deliveries.listForDocument(principalOf(request), request.params.id) }),
  });

  app.get('/api/claims/:id/deliveries', {
    config: { access: STAFF },
    schema: {
      tags: ['deliveries'],
      summary: 'Deliveries of every document and message of a claim',
      params: IdParams,
      response: { 200: DeliveryListSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => ({ items: deliveries.listForClaim(principalOf(request), request.params.id) }),
  });

  app.post('/api/documents/:id/public-notice', {
    config: { access: ['court'] },
    schema: {
      tags: ['deliveries'],
      summary: 'Record service of a court document by public notice (公告送达)',
      description:
        'Only for court documents and a debtor marked unreachable. Service is deemed complete 30 days after publication (CPL art. 95), counted per art. 85 over the holiday calendar.',
      params: IdParams,
      body: PublicNoticeBody,
      response: { 200: DocumentServiceViewSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      deliveries.recordPublicNotice(principalOf(request), request.params.id, request.body.publishedOn),
  });

  app.get('/r/:token', {
    config: { access: 'public' },
    // The token is a capability: request logging (which records the path) is off for this route.
    logLevel: 'warn',
    schema: {
      tags: ['deliveries'],
      summary: 'The link in a notice: records the electronic service receipt and leads to the debtor portal',
      params: ReceiptParams,
      produces: ['text/html'],
      response: {
        302: Type.Null({ description: 'to the debtor portal' }),
        404: Type.String({ description: 'a plain page saying the link is not valid' }),
        ...problems(400),
      },
    },
    handler: async (request, reply) => {
      const to = deliveries.openReceipt(request.params.token);
      if (!to) return reply.code(404).type('text/html; charset=utf-8').send(UNKNOWN_LINK_PAGE);
      return reply.redirect(to, 302);
    },
  });
};
