/** Judicial confirmation over HTTP: the application, the court's queue, the grant and the refusal. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { IdParams, problems } from '../common/schemas.js';
import type { ConfirmationService } from './confirmation.js';
import type { CourtRecordService } from './court-record-service.js';
import type { MediationStatementService } from './mediation-statement.js';
import {
  ApplyConfirmationBody,
  CourtCaseSchema,
  CreditRecordSchema,
  GrantBody,
  JudgmentBody,
  MeasureBody,
  MediationStatementBody,
  RefuseBody,
  RegisterBody,
  RemovalBody,
} from './schemas.js';

export const courtRoutes: FastifyPluginAsyncTypebox<{
  confirmations: ConfirmationService;
  statements: MediationStatementService;
  records: CourtRecordService;
}> = async (app, o) => {
  app.post('/api/claims/:id/confirmation', {
    config: { access: ['mediator', 'creditor'] },
    schema: {
      tags: ['court'],
      summary: "Apply for judicial confirmation of the claim's agreement (司法确认)",
      description: [
        "The parties' joint application, within 30 days of the agreement taking effect (People's Mediation Law",
        "art. 33; counted per CPL art. 85): it goes to the court's queue as a pending 民特 case. After the window,",
        '409 `transition_forbidden` with reason `window_closed` naming the rule.',
      ].join(' '),
      params: IdParams,
      body: ApplyConfirmationBody,
      response: { 201: CourtCaseSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(o.confirmations.apply(principalOf(request), request.params.id, request.body.version)),
  });

  app.get('/api/court/confirmations', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'The confirmations your court has to decide, oldest application first',
      response: { 200: Type.Array(CourtCaseSchema), ...problems(401, 403) },
    },
    handler: async (request) => o.confirmations.queue(principalOf(request)),
  });

  app.post('/api/court-cases/:id/grant', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'Grant a confirmation: the ruling number, and the agreement becomes an enforceable title',
      description:
        "Give the ruling's case number (e.g. （2026）闽0502民特123号) or omit it for the court's next one. A malformed number, one of another court or type, or one already given is 422.",
      params: IdParams,
      body: GrantBody,
      response: { 200: CourtCaseSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => o.confirmations.grant(principalOf(request), request.params.id, request.body.caseNo),
  });

  app.post('/api/court-cases/:id/refuse', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'Refuse a confirmation with reasons: the parties may mediate anew or sue',
      params: IdParams,
      body: RefuseBody,
      response: { 200: CourtCaseSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => o.confirmations.refuse(principalOf(request), request.params.id, request.body.reason),
  });

  app.post('/api/claims/:id/mediation-statement', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'Issue the court mediation statement (调解书) for an agreement reached in court mediation',
      description:
        "Give the claim version you read and the statement's 民初 case number, or omit it for the court's next one. The agreement becomes an enforceable title.",
      params: IdParams,
      body: MediationStatementBody,
      response: { 201: CourtCaseSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(o.statements.issue(principalOf(request), request.params.id, request.body.version, request.body.caseNo)),
  });

  app.post('/api/court-cases/:id/register', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'Register (立案) a filed suit or an enforcement application under its 民初 or 执 number',
      description: "Give the number as the court gave it, or omit it for the court's next one of the case's type.",
      params: IdParams,
      body: RegisterBody,
      response: { 200: CourtCaseSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => o.records.register(principalOf(request), request.params.id, request.body.caseNo),
  });

  app.post('/api/court-cases/:id/judgment', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'Record the judgment on a registered suit: the award and its performance period, or the dismissal',
      description:
        'A judgment for the creditor is an enforceable title; the 2-year window to apply for enforcement (CPL art. 250) runs from the last day of its performance period and becomes the claim deadline.',
      params: IdParams,
      body: JudgmentBody,
      response: { 200: CourtCaseSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => o.records.judgment(principalOf(request), request.params.id, request.body),
  });

  app.post('/api/court-cases/:id/measures', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'Record an enforcement measure with its date (account freeze, 限制高消费, 失信被执行人)',
      description:
        'Each measure is a credit record of the claim; the first moves the claim to measures, a restriction or listing marks the debtor listed until credit repair removes it.',
      params: IdParams,
      body: MeasureBody,
      response: { 201: CreditRecordSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(o.records.measure(principalOf(request), request.params.id, request.body)),
  });

  app.post('/api/credit-records/:id/removal', {
    config: { access: ['court'] },
    schema: {
      tags: ['court'],
      summary: 'Record the day the court removed a listing or restriction',
      description:
        'Due once credit repair is approved or a listing term has ended (removalDueOn, 3 working days, DOMAIN.md §5); a removal after that day is marked late on the claim. Certifying the repair records the removals not yet recorded as of that day.',
      params: IdParams,
      body: RemovalBody,
      response: { 200: CreditRecordSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => o.records.removal(principalOf(request), request.params.id, request.body),
  });
};
