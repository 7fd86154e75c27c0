import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { IdParams, problems } from '../common/schemas.js';
import {
  DebtorPlanSchema,
  DeclineBody,
  PlanBody,
  PlanListQuery,
  PlanSuggestionSchema,
  SuggestQuery,
} from './schemas.js';
import type { PlanService } from './service.js';

const DEBTOR = ['debtor'] as const;
const CREDITOR = ['creditor'] as const;

export const planRoutes: FastifyPluginAsyncTypebox<{ plans: PlanService }> = async (app, { plans }) => {
  app.post('/api/debtor/plans', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'Propose a repayment plan for your claims with one creditor',
      description:
        "Inside the creditor's limits the plan is offered to the creditor at once (status offered); outside them it goes to the mediator (referred). 422 with reason mixed_parties, claim_not_open, plan_too_long, kind_mismatch, instalments_sum, dates_order, due_in_past or above_enforceable; 409 plan_pending while an earlier plan for the claims waits.",
      body: PlanBody,
      response: { 201: DebtorPlanSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => reply.status(201).send(plans.propose(principalOf(request), request.body)),
  });

  app.get('/api/debtor/plans/suggestion', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'An affordable plan for these claims from your statement of means',
      querystring: SuggestQuery,
      response: { 200: PlanSuggestionSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => plans.suggest(principalOf(request), request.query.claimIds.split(',').map(Number)),
  });

  app.get('/api/plans', {
    config: { access: ['creditor', 'mediator', 'debtor'] },
    schema: {
      tags: ['plans'],
      summary: 'Plans debtors proposed for claims you may see, newest first',
      querystring: PlanListQuery,
      response: { 200: Type.Array(DebtorPlanSchema), ...problems(400, 401, 403) },
    },
    handler: async (request) => plans.list(principalOf(request), request.query.status),
  });

  app.post('/api/plans/:id/accept', {
    config: { access: CREDITOR },
    schema: {
      tags: ['plans'],
      summary: 'Accept a plan offered to you: the settlement is made and its claims are agreed',
      description:
        '409 plan_not_offered (referred to the mediator, or answered already); 422 when a claim is no longer open or the first payment is now past.',
      params: IdParams,
      response: { 200: DebtorPlanSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => plans.accept(principalOf(request), request.params.id),
  });

  app.post('/api/plans/:id/decline', {
    config: { access: CREDITOR },
    schema: {
      tags: ['plans'],
      summary: 'Decline a plan, with the reason the debtor reads',
      params: IdParams,
      body: DeclineBody,
      response: { 200: DebtorPlanSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => plans.decline(principalOf(request), request.params.id, request.body.reason),
  });
};
