/**
 * Mediation sessions: scheduling (one or many), start and end, the live room's participants, the
 * stored frames, the transcript, and the affordable-plan suggestion. Each verb lives in a file of its
 * own; this wires them to the rooms (hub.ts) and the negotiation, and answers the routes.
 *
 * Who sees a session is decided in claims/access.ts (`findSession`); one outside it is "not found",
 * also at the socket upgrade.
 */
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { Participant, SocketSettings } from './connection.js';
import type { RecordDocuments, SessionContext } from './context.js';
import { createSession } from './create-session.js';
import type { FrameStore } from './frame-store.js';
import { createSessionHub } from './hub.js';
import { joinSession } from './join-session.js';
import { type AgreementDocuments, createNegotiation } from './negotiation.js';
import { framesPage, transcript, transcriptPdf } from './record.js';
import { scheduleSessions } from './schedule-sessions.js';
import type { CreateSessionInput, ScheduleInput, SessionListFilters, SessionOutcome, SessionView } from './schemas.js';
import { endSession, startSession } from './start-and-end.js';
import { sendSuggestion, suggestionFor } from './suggestion.js';
import { listSessions, sessionView } from './views.js';

export interface SessionServiceDeps extends Omit<SessionContext, 'hub' | 'negotiation' | 'records'> {
  socket: SocketSettings;
  /** The thread that commits chat frames. */
  frameStore: FrameStore;
  /** The documents module: the mediation agreement and the registered session record. */
  documents: AgreementDocuments & RecordDocuments;
  onError: (err: unknown, what: string) => void;
}

export type SessionService = ReturnType<typeof createSessionService>;

export function createSessionService(deps: SessionServiceDeps) {
  const { db, clock, reference } = deps;
  const negotiation = createNegotiation({
    clock,
    reference,
    hardshipMaxInstalments: deps.hardshipMaxInstalments,
    documents: deps.documents,
  });
  const hub = createSessionHub({
    db,
    store: deps.frameStore,
    clock,
    settings: deps.socket,
    handleControl: negotiation.handle,
    onError: deps.onError,
  });
  const ctx: SessionContext = { ...deps, records: deps.documents, hub, negotiation };

  return {
    /** Schedule a session for one claim or all of one debtor's open claims with one creditor. */
    create: (p: Principal, input: CreateSessionInput) => createSession(ctx, p, input),
    /** Schedule sessions for a list of debtors in consecutive slots. */
    schedule: (p: Principal, input: ScheduleInput) => scheduleSessions(ctx, p, input),
    list: (p: Principal, f: SessionListFilters) => listSessions(ctx, p, f),
    get: (p: Principal, id: number): SessionView =>
      db.transaction((tx) => sessionView(ctx, tx, p, id), { behavior: 'deferred' }),
    start: (p: Principal, id: number) => startSession(ctx, p, id),
    end: (p: Principal, id: number, outcome: SessionOutcome) => endSession(ctx, p, id, outcome),
    messages: (p: Principal, id: number, afterSeq: number, limit: number) => framesPage(ctx, p, id, afterSeq, limit),
    transcript: (p: Principal, id: number) => transcript(ctx, p, id),
    transcriptPdf: (p: Principal, id: number) => transcriptPdf(ctx, p, id),
    suggestion: (p: Principal, id: number) => suggestionFor(ctx, db, p, id),
    sendSuggestion: (p: Principal, id: number, clientId?: string) => sendSuggestion(ctx, p, id, clientId),
    join: (p: Principal, id: number) => joinSession(db, p, id),

    /** Hand an upgraded socket to its room. */
    attach(socket: WebSocket, participant: Participant): void {
      hub.attach(socket, participant);
    },

    close(): void {
      hub.close();
    },
  };
}
