/** The session's record: its stored frames page by page, the whole transcript, and the transcript as a PDF (调解笔录). */
import type { Principal } from '../auth/principal.js';
import { findSession } from '../claims/access.js';
import { assertPrintable } from '../documents/printable.js';
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

/** The record as a PDF (调解笔录); the export time pins its creation date, so the same record gives the same file. */
export async function transcriptPdf(
  ctx: SessionContext,
  p: Principal,
  id: number,
): Promise<{ fileName: string; bytes: Buffer }> {
  const t = transcript(ctx, p, id);
  const exportedAt = new Date(t.exportedAt);
  const model = transcriptModel(t.session, t.frames, exportedAt, `${ctx.publicUrl}/api/sessions/${id}/transcript`);
  assertPrintable(ctx.pdf.coverage, model, `The record of session ${id}`);
  return { fileName: `调解笔录-${id}.pdf`, bytes: await ctx.pdf.render([model], exportedAt) };
}
