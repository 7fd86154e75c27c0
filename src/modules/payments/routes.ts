/** The payments API: a creditor's payments and repayment files, the debtor's "I paid", and the answers to it. */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors.js';
import { principalOf } from '../../plugins/auth.js';
import { receiveMultipart } from '../batches/upload.js';
import { IdParams, problems } from '../common/schemas.js';
import type { Spool } from '../common/spool.js';
import { parseFormFields, receiveEvidenceForm, type UploadLimits } from '../objections/upload.js';
import {
  ClaimPaymentsSchema,
  DEBTOR_PAYMENT_FIELDS,
  DebtorPaymentForm,
  DisputeBody,
  ImportReportSchema,
  PaymentBody,
  PaymentSchema,
} from './schemas.js';
import type { PaymentService } from './service.js';

export interface PaymentRoutesOptions {
  payments: PaymentService;
  /** Where a repayment file is spooled while it is imported, and its key. */
  spool: Spool;
  maxFileBytes: number;
  receipts: UploadLimits;
}

const CREDITOR = ['creditor'] as const;

export const paymentRoutes: FastifyPluginAsyncTypebox<PaymentRoutesOptions> = async (app, o) => {
  app.post('/api/claims/:id/payments', {
    config: { access: CREDITOR },
    schema: {
      tags: ['payments'],
      summary: 'Record a payment received on the claim',
      description: [
        'Allocated per Civil Code art. 561 (costs, interest, principal) and to the instalments oldest first; more',
        'than is owed is kept and flagged (`overpaid`). The payment that leaves nothing owed fulfils the claim.',
        '201 recorded; 200 the same reference was recorded before (nothing done again); 409 the reference was used',
        'for another payment, or the claim is closed.',
      ].join(' '),
      params: IdParams,
      body: PaymentBody,
      response: { 200: PaymentSchema, 201: PaymentSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      const { created, payment } = o.payments.record(principalOf(request), request.params.id, request.body);
      return reply.status(created ? 201 : 200).send(payment);
    },
  });

  app.get('/api/claims/:id/payments', {
    config: { access: ['creditor', 'mediator', 'court'] },
    schema: {
      tags: ['payments'],
      summary: "The claim's payments and what it still owes",
      params: IdParams,
      response: { 200: ClaimPaymentsSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => o.payments.list(principalOf(request), request.params.id),
  });

  app.post('/api/payments/:id/confirm', {
    config: { access: CREDITOR },
    schema: {
      tags: ['payments'],
      summary: 'Confirm a payment the debtor reported: it is allocated like one you record',
      params: IdParams,
      response: { 200: PaymentSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => o.payments.confirm(principalOf(request), request.params.id),
  });

  app.post('/api/payments/:id/dispute', {
    config: { access: CREDITOR },
    schema: {
      tags: ['payments'],
      summary: 'Dispute a payment the debtor reported, with the reason shown to them',
      params: IdParams,
      body: DisputeBody,
      response: { 200: PaymentSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => o.payments.dispute(principalOf(request), request.params.id, request.body.reason),
  });

  app.post('/api/payments/import', {
    config: { access: CREDITOR },
    schema: {
      tags: ['payments'],
      summary: 'Import a repayment file',
      description: [
        'multipart/form-data with the file (CSV in UTF-8, UTF-8 with BOM or GBK, or XLSX) in field `file`; optional',
        '`charset`, `sheet`. Columns by Chinese or English header: 合同编号 contract_no, 还款日期 paid_at, 还款金额 amount',
        '(yuan), 还款流水号 reference, 还款渠道 channel (optional). Unknown contracts and bad rows are reported by row;',
        'a reference recorded before counts as a duplicate. The same file again answers its report.',
      ].join(' '),
      consumes: ['multipart/form-data'],
      response: { 200: ImportReportSchema, ...problems(400, 401, 403, 413, 415, 422) },
    },
    handler: async (request) => {
      if (!request.isMultipart())
        throw new AppError('unsupported_media_type', 'Send the repayment file as multipart/form-data in field "file".');
      const { upload, options } = await receiveMultipart(request, o.spool, o.maxFileBytes);
      return o.payments.importFile(principalOf(request), upload, options);
    },
  });

  app.get('/api/payments/imports/:id', {
    config: { access: CREDITOR },
    schema: {
      tags: ['payments'],
      summary: 'The report of a repayment file you imported',
      params: IdParams,
      response: { 200: ImportReportSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => o.payments.importReport(principalOf(request), request.params.id),
  });

  app.get('/api/payments/imports/:id/errors.csv', {
    config: { access: CREDITOR },
    schema: {
      tags: ['payments'],
      summary: 'The rejected rows of a repayment file: row, column, code, message and value',
      params: IdParams,
      produces: ['text/csv'],
      response: problems(400, 401, 403, 404),
    },
    handler: async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="payments-${request.params.id}-errors.csv"`)
        .send(Readable.from(o.payments.importErrorsCsv(principalOf(request), request.params.id))),
  });

  app.post('/api/debtor/claims/:id/payments', {
    config: { access: ['debtor'] },
    schema: {
      tags: ['portal'],
      summary: 'Tell the creditor you paid (我已还款), with the receipt',
      description:
        'multipart/form-data: `amountFen`, `paidAt` (YYYY-MM-DD), `channel`, optional `note`, and the receipt (PDF, JPEG or PNG) in `files`. The creditor confirms or disputes it.',
      consumes: ['multipart/form-data'],
      params: IdParams,
      response: { 201: PaymentSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
    handler: async (request, reply) => {
      const form = await receiveEvidenceForm(request, DEBTOR_PAYMENT_FIELDS, o.receipts);
      const f = parseFormFields(DebtorPaymentForm, form.fields);
      const payment = o.payments.report(principalOf(request), request.params.id, {
        amountFen: Number(f.amountFen),
        paidOn: f.paidAt,
        channel: f.channel,
        note: f.note ?? null,
        files: form.files,
      });
      return reply.status(201).send(payment);
    },
  });
};
