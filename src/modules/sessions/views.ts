/**
 * Reading sessions: as answers show them (parties, claims, who is in the room, the last frame,
 * settlements, the terms of an offer), one or a page at a time.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import {
  claims,
  debtors,
  instalments,
  mediationSessions,
  organisations,
  sessionClaims,
  settlements,
  users,
} from '../../db/schema/index.js';
import { enforceableFen, type OfferBasis } from '../../domain/settlement-terms.js';
import type { Principal } from '../auth/principal.js';
import { findSession, visibleClaims, visibleSessions } from '../claims/access.js';
import type { SessionContext } from './context.js';
import type { StoredFrame } from './frame-writer.js';
import type { SessionFrame } from './frames.js';
import { offerBasisFor } from './offer-basis.js';
import type { SessionListFilters, SessionView } from './schemas.js';

export type SessionRow = typeof mediationSessions.$inferSelect;
type ViewContext = Pick<SessionContext, 'hub' | 'hardshipMaxInstalments'>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A stored frame as answers carry it. */
export const publicFrame = ({ sessionId: _session, wire: _wire, ...f }: StoredFrame): SessionFrame => f;

/** What an offer is judged against, as staff see it beside a session. */
export const termsOf = ({ enforceableFen, waivedFen, baseFen, hardship, limits }: OfferBasis) => ({
  enforceableFen,
  waivedFen,
  baseFen,
  hardship,
  limits,
});

/** The views of `rows`; `withTerms` adds the terms of an offer for staff. */
export function sessionViews(
  ctx: ViewContext,
  tx: DbOrTx,
  p: Principal,
  rows: SessionRow[],
  withTerms: boolean,
): SessionView[] {
  const ids = rows.map((s) => s.id);
  if (ids.length === 0) return [];
  const names = new Map(
    tx
      .select({
        id: mediationSessions.id,
        mediatorName: users.displayName,
        creditorName: organisations.name,
        debtorName: debtors.name,
      })
      .from(mediationSessions)
      .innerJoin(users, eq(users.id, mediationSessions.mediatorId))
      .innerJoin(organisations, eq(organisations.id, mediationSessions.creditorOrgId))
      .innerJoin(debtors, eq(debtors.id, mediationSessions.debtorId))
      .where(inArray(mediationSessions.id, ids))
      .all()
      .map((r) => [r.id, r]),
  );
  const claimRows = tx
    .select({ sessionId: sessionClaims.sessionId, claim: claims })
    .from(sessionClaims)
    .innerJoin(claims, eq(sessionClaims.claimId, claims.id))
    .where(and(inArray(sessionClaims.sessionId, ids), visibleClaims(p)))
    .orderBy(asc(claims.id))
    .all();
  const agreed = tx
    .select()
    .from(settlements)
    .where(inArray(settlements.sessionId, ids))
    .orderBy(asc(settlements.id))
    .all();
  const plans = agreed.length
    ? tx
        .select()
        .from(instalments)
        .where(
          inArray(
            instalments.settlementId,
            agreed.map((s) => s.id),
          ),
        )
        .orderBy(asc(instalments.seq))
        .all()
    : [];
  return rows.map((s) => {
    const { mediatorName, creditorName, debtorName } = names.get(s.id)!;
    const own = claimRows.filter((c) => c.sessionId === s.id).map((c) => c.claim);
    const last = ctx.hub.lastFrame(s.id);
    const view: SessionView = {
      id: s.id,
      mode: s.mode as SessionView['mode'],
      status: s.status as SessionView['status'],
      scheduledAt: iso(s.scheduledAt),
      startedAt: iso(s.startedAt),
      endedAt: iso(s.endedAt),
      outcome: s.outcome as SessionView['outcome'],
      mediator: { id: s.mediatorId, name: mediatorName },
      creditor: { id: s.creditorOrgId, name: creditorName },
      debtor: { id: s.debtorId, name: debtorName },
      claims: own.map((c) => ({
        id: c.id,
        contractNo: c.contractNo,
        stage: c.stage,
        status: c.status,
        enforceableFen: enforceableFen(c),
      })),
      present: ctx.hub.present(s.id),
      lastSeq: last?.seq ?? 0,
      lastActivityAt: last ? new Date(last.at).toISOString() : null,
      settlements: agreed
        .filter((x) => x.sessionId === s.id)
        .map((x) => ({
          id: x.id,
          proposalSeq: x.proposalSeq,
          kind: x.kind as 'lump_sum' | 'instalments',
          totalFen: x.totalFen,
          hardship: x.hardship,
          status: x.status,
          agreedAt: iso(x.agreedAt),
          instalments: plans
            .filter((i) => i.settlementId === x.id)
            .map((i) => ({
              seq: i.seq,
              dueDate: i.dueDate,
              amountFen: i.amountFen,
              paidFen: i.paidFen,
              status: i.status,
            })),
        })),
    };
    // The creditor's limits are a negotiating position: the debtor never sees them.
    if (withTerms && p.role !== 'debtor' && own.length)
      view.terms = termsOf(offerBasisFor(tx, own, ctx.hardshipMaxInstalments));
    return view;
  });
}

/** One session the principal may see, or 404. */
export const sessionView = (ctx: ViewContext, tx: DbOrTx, p: Principal, id: number, withTerms = true) =>
  sessionViews(ctx, tx, p, [findSession(tx, p, id)], withTerms)[0]!;

/** Sessions the principal may see, newest first, a page at a time; for a mediator, the ones they run. */
export function listSessions(ctx: SessionContext, p: Principal, f: SessionListFilters) {
  const limit = f.limit ?? 50;
  const where: SQL[] = [visibleSessions(p)];
  if (p.kind === 'user' && p.role === 'mediator') where.push(eq(mediationSessions.mediatorId, p.userId));
  if (f.status) where.push(eq(mediationSessions.status, f.status));
  if (f.after) where.push(sql`${mediationSessions.id} < ${f.after}`);
  return ctx.db.transaction((tx) => {
    const rows = tx
      .select()
      .from(mediationSessions)
      .where(and(...where))
      .orderBy(desc(mediationSessions.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    return { items: sessionViews(ctx, tx, p, page, false), nextAfter: rows.length > limit ? page.at(-1)!.id : null };
  });
}
