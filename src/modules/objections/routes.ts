import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { sendDownload } from '../common/download.js';
import { IdParams, problems } from '../common/schemas.js';
import type { HardshipService } from './hardship.js';
import {
  CommentBody,
  DecisionBody,
  HardshipDecisionBody,
  HardshipListQuery,
  ObjectionCommentSchema,
  ObjectionListQuery,
  ObjectionSchema,
  StaffHardshipSchema,
  StatsSchema,
} from './schemas.js';
import type { ObjectionService } from './service.js';

const STAFF = ['creditor', 'mediator', 'court'] as const;

export const objectionRoutes: FastifyPluginAsyncTypebox<{
  objections: ObjectionService;
  hardship: HardshipService;
}> = async (app, o) => {
  app.get('/api/objections', {
    config: { access: STAFF },
    schema: {
      tags: ['objections'],
      summary: 'Objections on the claims you may see',
      description: 'Open ones come by reply deadline (`replyOverdue` marks those past it), the others newest first.',
      querystring: ObjectionListQuery,
      response: { 200: Type.Array(ObjectionSchema), ...problems(400, 401, 403) },
    },
    handler: async (request) => o.objections.list(principalOf(request), request.query),
  });

  app.post('/api/objections/:id/decision', {
    config: { access: STAFF },
    schema: {
      tags: ['objections'],
      summary: 'Answer an objection',
      description: [
        'upheld: the claim closes as objection_upheld, or, with newAmounts, its amounts are reduced and the hold released;',
        'partially_upheld: newAmounts required, the hold released; rejected: the hold released. The reasons are shown to the',
        'debtor, who is told by SMS that an answer is waiting. The creditor is a party: it may only concede (upheld);',
        'rejected and partially_upheld are for the mediator or the court (403 decision_reserved).',
      ].join(' '),
      params: IdParams,
      body: DecisionBody,
      response: { 200: ObjectionSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => o.objections.decide(principalOf(request), request.params.id, request.body),
  });

  app.post('/api/objections/:id/comments', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['objections'],
      summary: "The creditor's comment on an open objection to its claim, for the mediator or court deciding it",
      description: "Kept as an event on the claim's chain (objection_commented).",
      params: IdParams,
      body: CommentBody,
      response: { 201: ObjectionCommentSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(o.objections.comment(principalOf(request), request.params.id, request.body.text)),
  });

  app.get('/api/objections/stats', {
    config: { access: STAFF },
    schema: {
      tags: ['objections'],
      summary: 'Objections by outcome and hardship requests by decision, over the claims you may see',
      response: { 200: StatsSchema, ...problems(401, 403) },
    },
    handler: async (request) => o.objections.stats(principalOf(request)),
  });

  app.get('/api/hardship-requests', {
    config: { access: ['mediator'] },
    schema: {
      tags: ['objections'],
      summary: "Hardship requests on your claims, with the debtor's statement of means",
      querystring: HardshipListQuery,
      response: { 200: Type.Array(StaffHardshipSchema), ...problems(400, 401, 403) },
    },
    handler: async (request) => o.hardship.list(principalOf(request), request.query),
  });

  app.post('/api/hardship-requests/:id/decision', {
    config: { access: ['mediator'] },
    schema: {
      tags: ['objections'],
      summary: 'Grant a hardship plan (interest and penalty waived, longer instalments) or refuse',
      params: IdParams,
      body: HardshipDecisionBody,
      response: { 200: StaffHardshipSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => o.hardship.decide(principalOf(request), request.params.id, request.body),
  });

  app.get('/api/attachments/:id', {
    config: { access: [...STAFF, 'debtor'] },
    schema: {
      tags: ['objections'],
      summary: 'Download an evidence file of an objection, a hardship request or a payment (its receipt)',
      description: 'Hardship evidence is shown to mediators and the debtor only.',
      params: IdParams,
      produces: ['application/pdf', 'image/jpeg', 'image/png'],
      response: problems(400, 401, 403, 404),
    },
    handler: async (request, reply) =>
      sendDownload(reply, o.objections.attachment(principalOf(request), request.params.id)),
  });
};
