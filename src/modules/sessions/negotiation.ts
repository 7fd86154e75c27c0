/**
 * Offers in a session: proposals and counters checked against the session's claims and the
 * creditor's limits, answers (accept, reject, approve), and the agreement when both parties have
 * accepted the same proposal that no later one superseded.
 *
 * Approval: a proposal outside the limits is marked `needsApproval`. The creditor representative
 * takes it with an `approve` frame (their acceptance, recorded as approving the breach); a plain
 * `accept` from them is refused with `approval_required`, naming the limits broken. The debtor
 * accepts any proposal with `accept`. Proposing is not accepting: both parties answer explicitly.
 */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Clock } from '../../adapters/clock.js';
import type { DbOrTx, Tx } from '../../db/open.js';
import {
  type Claim,
  claims,
  mediationSessions,
  sessionClaims,
  sessionMessages,
  settlements,
} from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import { checkPlan, describeBreaches, limitBreaches } from '../../domain/settlement-terms.js';
import { AppError } from '../../errors.js';
import type { ReferenceData } from '../reference/service.js';
import type { ControlFrame, ServerFrame } from './apply-frames.js';
import type { Participant } from './connection.js';
import type { FrameWriter } from './frame-writer.js';
import { type ProposalBody, SYSTEM_FROM } from './frames.js';
import { notOpenReason, offerBasisFor } from './offer-basis.js';
import { recordSettlement } from './record-settlement.js';

/** The documents module's verb this service needs: the mediation agreement for a claim. */
export interface AgreementDocuments {
  generateAsSystem(claimId: number, kind: 'mediation_agreement'): Promise<{ id: number; docNo: string }>;
}

export interface NegotiationDeps {
  clock: Clock;
  reference: ReferenceData;
  hardshipMaxInstalments: number;
  documents: AgreementDocuments | null;
}

const refuse = (reason: string, detail: string) => new AppError('unprocessable', detail, { reason });

interface Acceptance {
  role: string;
  name: string;
  seq: number;
  at: string;
  approved: boolean;
}

/** The claims of a session, by id. */
export function claimsOfSession(tx: DbOrTx, sessionId: number): Claim[] {
  return tx
    .select({ claim: claims })
    .from(sessionClaims)
    .innerJoin(claims, eq(sessionClaims.claimId, claims.id))
    .where(eq(sessionClaims.sessionId, sessionId))
    .orderBy(asc(claims.id))
    .all()
    .map((r) => r.claim);
}

export function createNegotiation({ clock, reference, hardshipMaxInstalments, documents }: NegotiationDeps) {
  const sessionOf = (tx: DbOrTx, id: number) =>
    tx.select().from(mediationSessions).where(eq(mediationSessions.id, id)).get()!;

  const claimsOf = claimsOfSession;

  /** The claims an offer names: every one in the session and open, or the offer is refused. */
  function offerClaims(tx: DbOrTx, sessionId: number, claimIds: readonly number[]): Claim[] {
    const inSession = claimsOf(tx, sessionId);
    const byId = new Map(inSession.map((c) => [c.id, c]));
    const missing = claimIds.filter((id) => !byId.has(id));
    if (missing.length) {
      throw refuse(
        'claim_not_in_session',
        `Claim(s) ${missing.join(', ')} are not in this session; it holds ${inSession.map((c) => c.id).join(', ')}.`,
      );
    }
    const named = claimIds.map((id) => byId.get(id)!);
    const closed = named.map(notOpenReason).filter((r): r is string => r !== null);
    if (closed.length) throw refuse('claim_not_open', `No offer can be made now: ${closed.join('; ')}.`);
    return named;
  }

  /** The proposal or counter stored at `seq`, or a refusal. */
  function proposalAt(tx: DbOrTx, sessionId: number, seq: number) {
    const row = tx
      .select({ seq: sessionMessages.seq, type: sessionMessages.type, body: sessionMessages.body })
      .from(sessionMessages)
      .where(and(eq(sessionMessages.sessionId, sessionId), eq(sessionMessages.seq, seq)))
      .get();
    if (!row || (row.type !== 'proposal' && row.type !== 'counter'))
      throw refuse('unknown_proposal', `Frame ${seq} of this session is not a proposal or counter.`);
    return { seq: row.seq, body: row.body as ProposalBody & { needsApproval: boolean } };
  }

  function supersededBy(tx: DbOrTx, sessionId: number, seq: number): number | null {
    const later = tx
      .select({ seq: sessionMessages.seq })
      .from(sessionMessages)
      .where(
        and(
          eq(sessionMessages.sessionId, sessionId),
          inArray(sessionMessages.type, ['proposal', 'counter']),
          gt(sessionMessages.seq, seq),
        ),
      )
      .orderBy(asc(sessionMessages.seq))
      .limit(1)
      .get();
    return later?.seq ?? null;
  }

  /** Each party's latest answer to the proposal at `seq`. */
  function answersTo(tx: DbOrTx, sessionId: number, seq: number): Map<string, Acceptance | null> {
    const rows = tx
      .select({
        seq: sessionMessages.seq,
        type: sessionMessages.type,
        role: sessionMessages.fromRole,
        name: sessionMessages.fromName,
        body: sessionMessages.body,
        at: sessionMessages.at,
      })
      .from(sessionMessages)
      .where(
        and(eq(sessionMessages.sessionId, sessionId), inArray(sessionMessages.type, ['accept', 'reject', 'approve'])),
      )
      .orderBy(asc(sessionMessages.seq))
      .all();
    const latest = new Map<string, Acceptance | null>();
    for (const r of rows) {
      if ((r.body as { proposalSeq?: number }).proposalSeq !== seq) continue;
      latest.set(
        r.role,
        r.type === 'reject'
          ? null
          : { role: r.role, name: r.name, seq: r.seq, at: r.at.toISOString(), approved: r.type === 'approve' },
      );
    }
    return latest;
  }

  const alreadyAgreed = (tx: DbOrTx, sessionId: number, seq: number) =>
    tx
      .select({ id: settlements.id })
      .from(settlements)
      .where(and(eq(settlements.sessionId, sessionId), eq(settlements.proposalSeq, seq)))
      .get();

  /** Settlement, instalments and the claims moved to `agreed`, in the caller's transaction. */
  function recordAgreement(
    tx: Tx,
    w: FrameWriter,
    sessionId: number,
    proposal: { seq: number; body: ProposalBody },
    accepted: Acceptance[],
  ) {
    const session = sessionOf(tx, sessionId);
    const list = offerClaims(tx, sessionId, proposal.body.claimIds);
    const basis = offerBasisFor(tx, list, hardshipMaxInstalments);
    const acceptedBy = accepted.map(({ role, name, seq, at, approved }) => ({
      role,
      name,
      seq,
      at,
      ...(approved ? { approvedOutsideLimits: true } : {}),
    }));
    const settlementId = recordSettlement(
      tx,
      {
        debtorId: session.debtorId,
        claims: list,
        plan: proposal.body,
        hardship: basis.hardship,
        reliefFen: basis.reliefFen,
        sessionId,
        proposalSeq: proposal.seq,
        reason: `Mediation session ${sessionId}: both parties accepted proposal #${proposal.seq}`,
        data: { sessionId, proposalSeq: proposal.seq, acceptedBy },
      },
      { now: clock.now(), calendar: reference.calendar() },
    );
    w.append(sessionId, {
      type: 'system',
      clientId: null,
      senderKey: 'system',
      from: SYSTEM_FROM,
      body: {
        event: 'agreement',
        settlementId,
        proposalSeq: proposal.seq,
        claimIds: list.map((c) => c.id),
        kind: proposal.body.kind,
        totalFen: proposal.body.totalFen,
        hardship: basis.hardship,
        acceptedBy,
      },
    });
    return { settlementId, claimIds: list.map((c) => c.id) };
  }

  /** After commit: the settlement's one mediation agreement, covering each claim, announced in the session. */
  async function generateAgreements(
    sessionId: number,
    settlementId: number,
    claimIds: number[],
  ): Promise<ServerFrame[]> {
    if (!documents) return [];
    const generated: { claimId: number; documentId: number; docNo: string }[] = [];
    const failed: { claimId: number; detail: string }[] = [];
    try {
      // One agreement lists every contract: asked for the first claim, it is every claim's.
      const doc = await documents.generateAsSystem(claimIds[0]!, 'mediation_agreement');
      for (const claimId of claimIds) generated.push({ claimId, documentId: doc.id, docNo: doc.docNo });
    } catch (err) {
      const detail =
        err instanceof AppError
          ? err.detail
          : 'The document could not be generated; the mediator can generate it from the claim.';
      for (const claimId of claimIds) failed.push({ claimId, detail });
    }
    return [
      {
        sessionId,
        type: 'system',
        from: SYSTEM_FROM,
        senderKey: 'system',
        body: { event: 'agreement_documents', settlementId, documents: generated, failed },
      },
    ];
  }

  function storeProposal(
    w: FrameWriter,
    tx: Tx,
    p: Participant,
    frame: Extract<ControlFrame, { type: 'proposal' | 'counter' }>,
  ) {
    if (frame.type === 'counter') proposalAt(tx, p.sessionId, frame.body.answers);
    const list = offerClaims(tx, p.sessionId, frame.body.claimIds);
    const basis = offerBasisFor(tx, list, hardshipMaxInstalments);
    const problem = checkPlan(frame.body, { today: shanghaiDate(clock.now()), enforceableFen: basis.enforceableFen });
    if (problem) throw refuse(problem.code, problem.detail);
    const needsApproval = limitBreaches(frame.body, basis).length > 0;
    w.append(p.sessionId, {
      type: frame.type,
      clientId: frame.id,
      senderKey: p.key,
      from: { role: p.role, name: p.name },
      body: { ...frame.body, hardship: basis.hardship, needsApproval },
    });
  }

  function storeAnswer(
    w: FrameWriter,
    tx: Tx,
    p: Participant,
    frame: Extract<ControlFrame, { type: 'accept' | 'reject' | 'approve' }>,
  ) {
    if (p.role === 'mediator')
      throw refuse(
        'not_a_party',
        'Only the parties (the debtor and the creditor representative) answer a proposal; the mediator proposes.',
      );
    if (frame.type === 'approve' && p.role !== 'creditor')
      throw refuse(
        'not_a_party',
        "Only the creditor representative approves a proposal outside the creditor's limits.",
      );
    const { sessionId } = p;
    const proposal = proposalAt(tx, sessionId, frame.body.proposalSeq);
    const later = supersededBy(tx, sessionId, proposal.seq);
    if (later !== null)
      throw refuse(
        'proposal_superseded',
        `Proposal #${proposal.seq} was superseded by #${later}; answer the latest proposal.`,
      );
    if (alreadyAgreed(tx, sessionId, proposal.seq))
      throw refuse('already_agreed', `Proposal #${proposal.seq} is already agreed.`);
    if (frame.type !== 'reject' && p.role === 'creditor') {
      const basis = offerBasisFor(tx, offerClaims(tx, sessionId, proposal.body.claimIds), hardshipMaxInstalments);
      const breaches = limitBreaches(proposal.body, basis);
      if (frame.type === 'accept' && breaches.length) {
        throw refuse(
          'approval_required',
          `Proposal #${proposal.seq} is outside your limits (${describeBreaches(breaches)}); send an approve frame to accept it nonetheless.`,
        );
      }
      if (frame.type === 'approve' && !breaches.length)
        throw refuse('approval_not_needed', `Proposal #${proposal.seq} is inside your limits; accept it instead.`);
    }
    w.append(sessionId, {
      type: frame.type,
      clientId: frame.id,
      senderKey: p.key,
      from: { role: p.role, name: p.name },
      body: frame.body,
    });
    if (frame.type === 'reject') return;
    const answers = answersTo(tx, sessionId, proposal.seq);
    const debtor = answers.get('debtor');
    const creditor = answers.get('creditor');
    if (!debtor || !creditor) return;
    const { settlementId, claimIds } = recordAgreement(tx, w, sessionId, proposal, [debtor, creditor]);
    return { after: () => generateAgreements(sessionId, settlementId, claimIds) };
  }

  return {
    /** Store a proposal, counter or answer (the hub's control handler); throws AppError to refuse it. */
    handle(w: FrameWriter, tx: Tx, p: Participant, frame: ControlFrame) {
      const session = sessionOf(tx, p.sessionId);
      if (session.status !== 'live') throw refuse('session_not_live', 'The session is not in progress.');
      if (frame.type === 'proposal' || frame.type === 'counter') {
        storeProposal(w, tx, p, frame);
        return;
      }
      return storeAnswer(w, tx, p, frame);
    },
    claimsOf,
  };
}

export type Negotiation = ReturnType<typeof createNegotiation>;
