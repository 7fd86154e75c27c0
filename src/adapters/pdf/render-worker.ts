/**
 * A PDF rendering thread: parses the fonts once, then renders whatever it is sent, one message at a
 * time. A pool thread renders single documents; a print thread writes one print file that documents
 * are added to as they are made. Bytes go back as a transferred buffer, not a copy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FontSetup } from './font-files.js';
import { loadFontChain } from './fonts.js';
import { type PdfWriter, pdfWriter, renderPdf } from './render.js';
import type { RenderReply, WorkerMessage } from './render-pool.js';
import { MissingCharacterError } from './text-layout.js';

const port = parentPort!;
const fonts = loadFontChain((workerData as { fonts: FontSetup }).fonts);
let print: { writer: PdfWriter; error: string | null } | null = null;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** A character no font has is told apart, so the caller can name it with the claim. */
const missingOf = (err: unknown) => (err instanceof MissingCharacterError ? { missing: err.characters } : {});

function send(id: number, pdf: Buffer): void {
  // A Buffer may sit inside a larger shared pool; send exactly its bytes in a buffer of their own.
  const bytes =
    pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength
      ? new Uint8Array(pdf.buffer, 0, pdf.byteLength)
      : new Uint8Array(pdf);
  port.postMessage({ id, ok: true, pdf: bytes } satisfies RenderReply, [bytes.buffer as ArrayBuffer]);
}

port.on('message', (m: WorkerMessage) => {
  try {
    switch (m.type) {
      case 'render':
        return send(m.id, renderPdf(m.models, fonts, new Date(m.createdAt)));
      case 'print-open':
        print = { writer: pdfWriter(fonts, new Date(m.createdAt), '打印文件'), error: null };
        return;
      case 'print-add':
        // Additions are not answered; a failure is reported when the file is closed.
        if (print && !print.error) {
          try {
            print.writer.add(m.model);
          } catch (err) {
            print.error = errorText(err);
          }
        }
        return;
      case 'print-close': {
        const session = print;
        print = null;
        if (!session) throw new Error('No print file is open.');
        if (session.error) throw new Error(session.error);
        return send(m.id, session.writer.finish());
      }
    }
  } catch (err) {
    port.postMessage({ id: m.id, ok: false, error: errorText(err), ...missingOf(err) } satisfies RenderReply);
  }
});
