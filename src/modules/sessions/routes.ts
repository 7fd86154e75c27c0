import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../../plugins/auth.js';
import { sendDownload } from '../common/download.js';
import { IdParams, problems } from '../common/schemas.js';
import type { Participant } from './connection.js';
import { SessionFrameSchema } from './frames.js';
import {
  CreateSessionBody,
  EndSessionBody,
  FramePageSchema,
  MessagesQuery,
  ScheduleBody,
  ScheduleResultSchema,
  SessionListQuery,
  SessionPageSchema,
  SessionSchema,
  SuggestBody,
  SuggestionSchema,
  TranscriptSchema,
} from './schemas.js';
import type { SessionService } from './service.js';

const PARTIES = ['mediator', 'creditor', 'debtor'] as const;
const MEDIATOR = ['mediator'] as const;

export const sessionRoutes: FastifyPluginAsyncTypebox<{ sessions: SessionService }> = async (app, { sessions }) => {
  app.post('/api/sessions', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: 'Schedule a mediation session for one claim, or all open claims of one debtor with one creditor',
      description:
        'The debtor is invited by SMS with the portal link; the creditor sees the session in its list. A scheduledAt up to 5 minutes ago is taken as now. 422 with reason mixed_parties, partial_claims, claim_not_open, in_the_past (more than 5 minutes ago) or quiet_hours; 409 claim_in_session.',
      body: CreateSessionBody,
      response: { 201: SessionSchema, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => reply.status(201).send(sessions.create(principalOf(request), request.body)),
  });

  app.post('/api/sessions/schedule', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: 'Schedule sessions for a list of debtors in consecutive time slots',
      description:
        'One session per debtor and creditor over their open claims not in another session, one slot each from firstSlotAt, skipping quiet hours (22:00–08:00 Shanghai); one SMS invitation per session. Debtors with nothing to schedule are listed in skipped.',
      body: ScheduleBody,
      response: { 200: ScheduleResultSchema, ...problems(400, 401, 403, 422) },
    },
    handler: async (request) => sessions.schedule(principalOf(request), request.body),
  });

  app.get('/api/sessions', {
    config: { access: PARTIES },
    schema: {
      tags: ['sessions'],
      summary: 'Sessions you may see, newest first (a mediator: the ones they run); status=live is the live-rooms view',
      querystring: SessionListQuery,
      response: { 200: SessionPageSchema, ...problems(400, 401, 403) },
    },
    handler: async (request) => sessions.list(principalOf(request), request.query),
  });

  app.get('/api/sessions/:id', {
    config: { access: PARTIES },
    schema: {
      tags: ['sessions'],
      summary: 'One session, with the offer basis and limits for staff',
      params: IdParams,
      response: { 200: SessionSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => sessions.get(principalOf(request), request.params.id),
  });

  app.post('/api/sessions/:id/start', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: 'Start the session: its claims move to in_session',
      params: IdParams,
      response: { 200: SessionSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => sessions.start(principalOf(request), request.params.id),
  });

  app.post('/api/sessions/:id/end', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: 'End the session with its outcome',
      description:
        'agreed needs a settlement reached in the session; failed fails the claims still open; adjourned changes no claim.',
      params: IdParams,
      body: EndSessionBody,
      response: { 200: SessionSchema, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => sessions.end(principalOf(request), request.params.id, request.body.outcome),
  });

  app.get('/api/sessions/:id/messages', {
    config: { access: PARTIES },
    schema: {
      tags: ['sessions'],
      summary: 'Stored frames after afterSeq, as the socket sends them',
      params: IdParams,
      querystring: MessagesQuery,
      response: { 200: FramePageSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) =>
      sessions.messages(
        principalOf(request),
        request.params.id,
        request.query.afterSeq ?? 0,
        request.query.limit ?? 500,
      ),
  });

  app.get('/api/sessions/:id/transcript', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: 'The session record (调解笔录) with every frame and its time, as JSON',
      params: IdParams,
      response: { 200: TranscriptSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => sessions.transcript(principalOf(request), request.params.id),
  });

  app.get('/api/sessions/:id/transcript.pdf', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: 'The session record (调解笔录) as a PDF',
      params: IdParams,
      produces: ['application/pdf'],
      response: { ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      const file = await sessions.transcriptPdf(principalOf(request), request.params.id);
      return sendDownload(reply, { ...file, mime: 'application/pdf' });
    },
  });

  app.get('/api/sessions/:id/suggestion', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: "An affordable plan inside the limits from the debtor's statement of means (preview)",
      params: IdParams,
      response: { 200: SuggestionSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request) => sessions.suggestion(principalOf(request), request.params.id),
  });

  app.post('/api/sessions/:id/suggestion', {
    config: { access: MEDIATOR },
    schema: {
      tags: ['sessions'],
      summary: 'Send the suggested plan to the room as your proposal (one click)',
      params: IdParams,
      body: SuggestBody,
      response: { 201: SessionFrameSchema, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(sessions.sendSuggestion(principalOf(request), request.params.id, request.body.id)),
  });

  // Who joins is settled before the upgrade: a session the caller may not see is a plain 404 response.
  const joined = new WeakMap<FastifyRequest, Participant>();
  app.get(
    '/ws/sessions/:id',
    {
      config: { access: PARTIES },
      websocket: true,
      schema: {
        tags: ['sessions'],
        summary: 'The session room: JSON frames; send {"type":"hello","lastSeq":N} first',
        description:
          'Auth by cookie, Authorization header or ?token=. Client frames {type, id, body}: chat {text}, proposal, counter {…, answers}, accept/reject/approve {proposalSeq}. Server frames {type, seq, id, from, at, body}; refused frames get {type: "error", body: {code, detail}}. {"type":"typing"} is passed to the others with seq null and not stored.',
        params: IdParams,
      },
      preHandler: async (request) => {
        joined.set(request, sessions.join(principalOf(request), (request.params as { id: number }).id));
      },
    },
    (socket: WebSocket, request: FastifyRequest) => {
      sessions.attach(socket, joined.get(request)!);
      joined.delete(request);
    },
  );
};
