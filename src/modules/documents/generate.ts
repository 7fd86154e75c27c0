/**
 * Making one document: prepare (one transaction), render (a thread of the PDF renderer), commit.
 * Generations of one kind for one claim (for a settlement document, for one settlement) run one after
 * the other, so a second request finds the first one's document instead of making another.
 */
import type { PdfRenderer } from '../../adapters/pdf/render-pool.js';
import { type DocumentKind, isSettlementDocument } from '../../domain/document-kinds.js';
import type { DocumentModel } from '../../domain/document-text.js';
import { type AlsoWrite, type CommitDeps, commitDocument } from './commit.js';
import { latestSettlementOf } from './gather.js';
import { type PrepareDeps, prepareDocument, type Requester } from './prepare.js';
import type { DocumentView } from './schemas.js';

export interface Produced {
  created: boolean;
  document: DocumentView;
  /** The model rendered, for a print file; null when the document existed. */
  model: DocumentModel | null;
}

export type ProduceDocument = (
  who: Requester,
  claimId: number,
  kind: DocumentKind,
  newVersion: boolean,
  also?: AlsoWrite,
) => Promise<Produced>;

/** A function that runs work given the same key one after the other, and work of other keys alongside. */
export function oneAfterAnother() {
  // Per key, the last work queued (settled either way).
  const queued = new Map<string, Promise<void>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (queued.get(key) ?? Promise.resolve()).then(work);
    const settled = run.then(
      () => {},
      () => {},
    );
    queued.set(key, settled);
    void settled.then(() => {
      if (queued.get(key) === settled) queued.delete(key);
    });
    return run;
  };
}

export function createProducer(deps: PrepareDeps & CommitDeps & { pdf: PdfRenderer }): ProduceDocument {
  const serialised = oneAfterAnother();
  // The claims of one settlement share its agreement: two of them asked at once must not make two.
  const keyOf = (claimId: number, kind: DocumentKind) => {
    const settlement = isSettlementDocument(kind) ? latestSettlementOf(deps.db, claimId) : undefined;
    return settlement ? `settlement:${settlement.id}:${kind}` : `${claimId}:${kind}`;
  };
  /** Prepare, render and commit one document (or find the existing one), after any other generation of the same kind for the claim. */
  return (who, claimId, kind, newVersion, also) =>
    serialised(keyOf(claimId, kind), async () => {
      const r = deps.db.transaction((tx) => prepareDocument(deps, tx, who, claimId, kind, newVersion));
      if ('existing' in r) return { created: false, document: r.existing, model: null };
      r.prepared.reserve();
      const pdf = await deps.pdf.render([r.prepared.model], r.prepared.createdAt);
      return { created: true, document: commitDocument(deps, r.prepared, pdf, also), model: r.prepared.model };
    });
}
