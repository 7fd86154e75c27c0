/** Reading generated PDFs in tests with pdfjs-dist: the text, the page count and the colours drawn. */
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api.js';

async function open(bytes: Buffer): Promise<{ doc: PDFDocumentProxy; OPS: Record<string, number> }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false })
    .promise;
  return { doc, OPS: pdfjs.OPS as Record<string, number> };
}

/** The text of every page joined, whitespace removed (pdfjs splits runs of Chinese text), and the page count. */
export async function pdfText(bytes: Buffer): Promise<{ text: string; pages: number }> {
  const { doc } = await open(bytes);
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += content.items.map((it) => ('str' in it ? it.str : '')).join('');
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { text: text.replace(/\s+/g, ''), pages };
}

/** The RGB colours (as #rrggbb) used to fill or stroke anything on the pages. */
export async function pdfColours(bytes: Buffer): Promise<Set<string>> {
  const { doc, OPS } = await open(bytes);
  const colours = new Set<string>();
  for (let i = 1; i <= doc.numPages; i++) {
    const ops = await (await doc.getPage(i)).getOperatorList();
    ops.fnArray.forEach((fn, k) => {
      if (fn === OPS.setFillRGBColor || fn === OPS.setStrokeRGBColor)
        colours.add(String((ops.argsArray[k] as unknown[])[0]).toLowerCase());
    });
  }
  await doc.destroy();
  return colours;
}
