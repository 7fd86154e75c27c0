/**
 * The print file of a batch takes the documents in claim order as they are made. Claims finish a
 * little out of order (as many as are rendering at once), so those ahead of their turn wait here.
 */
import type { PrintFile } from '../../../adapters/pdf/render-pool.js';
import type { DocumentModel } from '../../../domain/document-text.js';

export interface PrintOrder {
  /** Claim `index` is settled: its model, or null when it has no new document to print. */
  settled(index: number, model: DocumentModel | null): void;
  /** The print file, opened with the first document it took; null while none has been. */
  readonly file: PrintFile | null;
}

export function printInOrder(open: () => PrintFile): PrintOrder {
  const waiting = new Map<number, DocumentModel | null>();
  let next = 0;
  let file: PrintFile | null = null;
  return {
    settled(index, model) {
      waiting.set(index, model);
      for (; waiting.has(next); next++) {
        const m = waiting.get(next);
        waiting.delete(next);
        if (!m) continue;
        file ??= open();
        file.add(m);
      }
    },
    get file() {
      return file;
    },
  };
}
