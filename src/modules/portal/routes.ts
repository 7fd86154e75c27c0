import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf, type SessionCookie } from '../../plugins/auth.js';
import { IdParams, problems } from '../common/schemas.js';
import type { HardshipService } from '../objections/hardship.js';
import {
  HardshipForm,
  HardshipMultipart,
  HardshipSchema,
  ObjectionForm,
  ObjectionMultipart,
  ObjectionSchema,
} from '../objections/schemas.js';
import type { ObjectionService } from '../objections/service.js';
import { parseFormFields, receiveEvidenceForm, type UploadLimits } from '../objections/upload.js';
import type { DebtorIdentity } from './identity.js';
import {
  AccessCodeSchema,
  ChallengeSchema,
  DebtorClaimDetailSchema,
  DebtorClaimSummarySchema,
  DebtorSessionSchema,
  LoginBody,
  VerifyBody,
} from './schemas.js';
import type { PortalService } from './service.js';

export interface PortalRoutesOptions {
  identity: DebtorIdentity;
  portal: PortalService;
  objections: ObjectionService;
  hardship: HardshipService;
  uploads: UploadLimits;
  cookie: SessionCookie;
}

const DEBTOR = ['debtor'] as const;

const formHelp = (fields: string) =>
  `multipart/form-data: ${fields}, and up to the configured number of evidence files in \`files\` (PDF, JPEG or PNG, judged by their bytes; names with folders or control characters are refused).`;

export const portalRoutes: FastifyPluginAsyncTypebox<PortalRoutesOptions> = async (app, o) => {
  app.post('/api/claims/:id/access-code', {
    config: { access: ['creditor', 'mediator'] },
    schema: {
      tags: ['portal'],
      summary: 'Issue a fresh portal access code for a claim',
      description:
        'For a debtor who lost the notice: the earlier code of the claim stops working. The code is shown once.',
      params: IdParams,
      response: { 201: AccessCodeSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(o.identity.issueCode(principalOf(request), request.params.id)),
  });

  app.post('/api/debtor/login', {
    config: { access: 'public' },
    schema: {
      tags: ['portal'],
      summary: 'Debtor sign-in, step 1: access code and the last six characters of the ID number',
      description:
        'On success a six-digit code is sent by SMS to the phone on record. A failure does not say which part was wrong; repeated failures lock the access code and throttle the address (429).',
      body: LoginBody,
      response: { 200: ChallengeSchema, ...problems(400, 401, 422, 429, 503) },
    },
    handler: async (request) => {
      const c = await o.identity.login({ ...request.body, ip: request.ip });
      return { ...c, expiresAt: c.expiresAt.toISOString() };
    },
  });

  app.post('/api/debtor/verify', {
    config: { access: 'public' },
    schema: {
      tags: ['portal'],
      summary: 'Debtor sign-in, step 2: the one-time code',
      description:
        "Answers a short-lived debtor token and sets it as the httpOnly session cookie. It also opens the debtor's session sockets.",
      body: VerifyBody,
      response: { 200: DebtorSessionSchema, ...problems(400, 401, 429) },
    },
    handler: async (request, reply) => {
      const { token, expiresAt } = o.identity.verify({ ...request.body, ip: request.ip });
      reply.setCookie(o.cookie.name, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: o.cookie.secure,
        expires: expiresAt,
      });
      return { token, expiresAt: expiresAt.toISOString() };
    },
  });

  app.get('/api/debtor/claims', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'Your claims',
      response: { 200: Type.Array(DebtorClaimSummarySchema), ...problems(401, 403) },
    },
    handler: async (request) => o.portal.listClaims(principalOf(request)),
  });

  app.get('/api/debtor/claims/:id', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'One of your claims in full',
      description:
        'Amounts with the part above the legal rate cap marked, creditor, stage, next deadline, documents, sessions, instalments, payments, objections and hardship requests.',
      params: IdParams,
      response: { 200: DebtorClaimDetailSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => o.portal.claim(principalOf(request), request.params.id),
  });

  app.get('/api/debtor/claims/:id/objections', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'Your objections on a claim, with their answers',
      params: IdParams,
      response: { 200: Type.Array(ObjectionSchema), ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => o.objections.listForClaim(principalOf(request), request.params.id),
  });

  app.post('/api/debtor/claims/:id/objections', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'Object to a claim (异议申诉)',
      description: `${formHelp('`category`, `statement`')} The claim is held until the objection is answered. 409 while another objection on the claim is open.`,
      multipart: ObjectionMultipart,
      params: IdParams,
      response: { 201: ObjectionSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
    handler: async (request, reply) => {
      const p = principalOf(request);
      o.objections.assertCanFile(p, request.params.id);
      const form = await receiveEvidenceForm(request, ['category', 'statement'], o.uploads);
      const fields = parseFormFields(ObjectionForm, form.fields);
      return reply.status(201).send(o.objections.file(p, request.params.id, { ...fields, files: form.files }));
    },
  });

  app.get('/api/debtor/hardship', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'Your hardship requests and their decisions',
      response: { 200: Type.Array(HardshipSchema), ...problems(401, 403) },
    },
    handler: async (request) => o.hardship.mine(principalOf(request)),
  });

  app.post('/api/debtor/hardship', {
    config: { access: DEBTOR },
    schema: {
      tags: ['portal'],
      summary: 'Ask for hardship relief (特殊群体救助) on some of your claims',
      description: `${formHelp('`claimIds` (repeated or comma-separated), `reason`, `statement`')} The claims are held until a mediator decides.`,
      multipart: HardshipMultipart,
      response: { 201: HardshipSchema, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      const form = await receiveEvidenceForm(request, ['claimIds', 'reason', 'statement'], o.uploads);
      const fields = parseFormFields(HardshipForm, form.fields, ['claimIds']);
      return reply.status(201).send(o.hardship.request(principalOf(request), { ...fields, files: form.files }));
    },
  });
};
