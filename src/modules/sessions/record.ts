/** The session's record: its stored frames page by page, the whole transcript, and the transcript as a PDF (调解笔录). */
import { and, eq } from 'drizzle-orm';
import { sessionRecords, users } from '../../db/schema/index.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { findSession } from '../claims/access.js';
import { oneAfterAnother } from '../documents/generate.js';
import type { SessionContext } from './context.js';
import { frameOf } from './frame-writer.js';
import { transcriptModel } from './transcript-pdf.js';
import { publicFrame, sessionView } from './views.js';

/** Stored frames after `afterSeq`, as the socket sends them. */
export function framesPage(ctx: SessionContext, p: Principal, id: number, afterSeq: number, limit: number) {
  findSession(ctx.db, p, id);
  const items = ctx.hub.framesAfter(id, afterSeq, limit).map((r) => publicFrame(frameOf(id, r)));
  return { items, lastSeq: items.at(-1)?.seq ?? afterSeq };
}

/** The whole record: the session's particulars and every frame with its time. */
export function transcript(ctx: SessionContext, p: Principal, id: number) {
  return ctx.db.transaction(
    (tx) => {
      const session = sessionView(ctx, tx, p, id, false);
      const frames = ctx.hub.framesAfter(id, 0, Number.MAX_SAFE_INTEGER).map((r) => publicFrame(frameOf(id, r)));
      return { session, frames, exportedAt: ctx.clock.now().toISOString() };
    },
    { behavior: 'deferred' },
  );
}

// Exports of one session are registered one after the other, so the same frames never make two documents.
const oneExportAtATime = oneAfterAnother();

/**
 * The record as a PDF (调解笔录), registered as a document: its footer carries a verification code
 * that /verify answers. Exporting again with no new frame answers the document registered then;
 * otherwise a new one is made, stamped with this export's time (the PDF's creation date).
 */
export async function transcriptPdf(
  ctx: SessionContext,
  p: Principal,
  id: number,
): Promise<{ fileName: string; bytes: Buffer }> {
  return oneExportAtATime(String(id), async () => {
    const t = transcript(ctx, p, id);
    const lastSeq = t.frames.at(-1)?.seq ?? 0;
    const fileName = (docNo: string) => `调解笔录-${docNo}.pdf`;
    const earlier = ctx.db
      .select({ documentId: sessionRecords.documentId })
      .from(sessionRecords)
      .where(and(eq(sessionRecords.sessionId, id), eq(sessionRecords.lastSeq, lastSeq)))
      .get();
    if (earlier) {
      const { bytes, document } = ctx.records.pdf(p, earlier.documentId);
      return { fileName: fileName(document.docNo), bytes };
    }
    const exportedAt = new Date(t.exportedAt);
    const mediator = ctx.db
      .select({ orgId: users.orgId })
      .from(users)
      .where(eq(users.id, t.session.mediator.id))
      .get()!;
    const { document, bytes } = await ctx.records.registerRecord({
      claimId: t.session.claims[0]!.id,
      kind: 'session_record',
      issuerOrgId: mediator.orgId,
      actor: actorOf(p)!,
      createdAt: exportedAt,
      model: (printed) => transcriptModel(t.session, t.frames, exportedAt, printed),
      also: (tx, row) => tx.insert(sessionRecords).values({ documentId: row.id, sessionId: id, lastSeq }).run(),
    });
    return { fileName: fileName(document.docNo), bytes };
  });
}
