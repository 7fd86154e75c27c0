import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../plugins/auth.js';
import { IdParams, problems } from '../common/schemas.js';
import { AgreementStateSchema, CodeSentSchema, ConfirmBody } from './schemas.js';
import type { AgreementService } from './service.js';

const PARTIES = ['creditor', 'debtor'] as const;

export const agreementRoutes: FastifyPluginAsyncTypebox<{ agreements: AgreementService }> = async (
  app,
  { agreements },
) => {
  app.get('/api/settlements/:id/agreement', {
    config: { access: ['mediator', ...PARTIES] },
    schema: {
      tags: ['sessions'],
      summary: "A settlement's mediation agreement: its documents, the parties' confirmations, and the signature",
      params: IdParams,
      response: { 200: AgreementStateSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => agreements.state(principalOf(request), request.params.id),
  });

  app.post('/api/settlements/:id/agreement/code', {
    config: { access: PARTIES },
    schema: {
      tags: ['sessions'],
      summary: 'Send yourself the one-time code that confirms the agreement',
      description:
        "The debtor gets it by SMS; the creditor's representative in this answer (code), confirmed with their password. A new code replaces the earlier one. 403 not_agreement_party; 409 already_confirmed; 422 agreement_not_ready or no_phone; 429 code_send_limit.",
      params: IdParams,
      response: { 200: CodeSentSchema, ...problems(400, 401, 403, 404, 409, 422, 429, 503) },
    },
    handler: async (request) => agreements.sendCode(principalOf(request), request.params.id),
  });

  app.post('/api/settlements/:id/agreement/confirmations', {
    config: { access: PARTIES },
    schema: {
      tags: ['sessions'],
      summary: "Confirm the agreement's text with your code (the representative with their password too)",
      description:
        'Once both parties have confirmed, the platform signs the agreement PDF (PAdES) before answering. 422 with reason code_wrong, code_expired, code_used, code_attempts, code_unknown or password_wrong, nothing stored but a wrong try; 409 agreement_changed or already_confirmed; 403 not_agreement_party.',
      params: IdParams,
      body: ConfirmBody,
      response: { 200: AgreementStateSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => agreements.confirm(principalOf(request), request.params.id, request.body),
  });
};
