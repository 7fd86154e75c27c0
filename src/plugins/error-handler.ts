/**
 * One place that turns every failure into application/problem+json with a stable `code`, a `detail`
 * a person can act on and, for validation, the list of field errors. 5xx details stay in the log.
 */

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fieldMessageZh, problemTitleZh, schemaMessageZh } from '../error-catalogue.js';
import {
  AppError,
  constraintClash,
  databaseBusy,
  ERROR_STATUS,
  type ErrorCode,
  type FieldError,
  isConstraintClash,
  isDatabaseBusy,
} from '../errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance: string;
  requestId: string;
  reason?: string;
  fields?: { field: string; message: string }[];
}

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  malformed_json: 'The body is not valid JSON',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not allowed for your role',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  transition_forbidden: 'This change is not possible now',
  document_not_allowed: 'This document cannot be issued for the claim now',
  version_conflict: 'Someone else changed this first',
  duplicate: 'Already exists',
  job_running: 'The job is running already',
  payload_too_large: 'The body is too large',
  unsupported_media_type: 'Unsupported content type',
  unprocessable: 'The request cannot be processed',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

/** Map anything thrown by a route, a hook or Fastify itself onto an AppError. */
export function toAppError(err: unknown, bodyLimit: number): AppError {
  if (err instanceof AppError) return err;
  const e = err as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
  if (e.validation) {
    const fields = e.validation.map((v) => toFieldError(v, e.validationContext ?? 'body'));
    return new AppError(
      'validation_failed',
      `Fix the listed fields and send the request again: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}.`,
      { fields },
    );
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(
        'malformed_json',
        'The request body must be a valid JSON document; check quotes, commas and brackets.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', `The request body is larger than the limit of ${bodyLimit} bytes.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('validation_failed', 'The Content-Length header does not match the body.');
  }
  if (isDatabaseBusy(err)) return databaseBusy();
  if (isConstraintClash(err)) return constraintClash();
  if (e.statusCode === 429) return new AppError('rate_limited', 'Too many requests; wait a moment and try again.');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(
      e.statusCode === 404 ? 'not_found' : 'validation_failed',
      'The request could not be understood; check the method, path, headers and body.',
    );
  }
  return new AppError('internal', 'Something went wrong on our side. Quote the request id if you report it.', {
    cause: err,
  });
}

interface ValidationItem {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

function toFieldError(v: ValidationItem, part: string): FieldError {
  let field = `/${part}${v.instancePath}`;
  let message = v.message ?? 'is not valid';
  if (v.keyword === 'required') {
    field = `${field}/${String(v.params.missingProperty)}`.replace('//', '/');
    message = 'is required';
  } else if (v.keyword === 'additionalProperties') {
    field = `${field}/${String(v.params.additionalProperty)}`.replace('//', '/');
    message = 'is not a known field';
  }
  return { field, message, zh: schemaMessageZh(v.keyword, v.params) };
}

/** People who read Chinese: the request's Accept-Language starts with `zh` (zh, zh-CN, zh-Hans …). */
const wantsChinese = (request: FastifyRequest): boolean =>
  /^\s*zh\b/i.test(String(request.headers['accept-language'] ?? ''));

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const zh = wantsChinese(request);
  const body: Problem = {
    type: `about:blank#${error.code}`,
    title: zh ? problemTitleZh(error.code, error.reason) : TITLES[error.code],
    status: ERROR_STATUS[error.code],
    code: error.code,
    detail: error.detail,
    instance: request.url.split('?')[0] ?? '/',
    requestId: request.id,
  };
  if (error.reason) body.reason = error.reason;
  if (error.fields.length)
    body.fields = error.fields.map((f) => ({
      field: f.field,
      message: zh ? (f.zh ?? fieldMessageZh(f.message)) : f.message,
    }));
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  if (zh) reply.header('content-language', 'zh-CN');
  return reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
}

export default fp(
  async (app, opts: { bodyLimit: number }) => {
    app.setErrorHandler((err, request, reply) => {
      const error = toAppError(err, opts.bodyLimit);
      if (error.status >= 500 || isConstraintClash(err))
        request.log.error({ err: error.cause ?? err }, 'request failed');
      return sendProblem(request, reply, error);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        request,
        reply,
        new AppError('not_found', `There is no ${request.method} ${request.url.split('?')[0]}; see /docs for the API.`),
      ),
    );
  },
  { name: 'error-handler' },
);
