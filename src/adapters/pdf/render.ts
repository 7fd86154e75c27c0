/**
 * The PDF layout of documents: a pure function from document models to PDF bytes. A4, bold title,
 * paragraphs, bordered tables, the signature block with a drawn seal for organisations that seal,
 * on a debtor's notice a box with the portal's QR code, link and access code, and on every page a
 * footer with the document number, verification code, verify URL and page numbers. The creation date
 * is given, so the same input gives the same bytes.
 *
 * Text is set line by line (text-layout.ts), each character in the first font of the chain that has
 * it. Several documents make one print file: each starts on a new page and numbers its own pages,
 * and each font is embedded once for all of them.
 */

import PDFDocument from 'pdfkit';
import type { Block, DocumentModel } from '../../domain/document-text.js';
import type { Weight } from './font-files.js';
import type { FontChain } from './fonts.js';
import { drawPortalBox, PORTAL_BOX_HEIGHT } from './portal-box.js';
import { drawSeal, SEAL_RADIUS } from './seal.js';
import { type Align, type Doc, MARGIN, registerChain, type TextStyle, writeLines, writeText } from './typeset.js';

const BODY_SIZE = 12;
const LINE_GAP = 5;
const INK = '#111111';
const GREY = '#555555';

/** A PDF being written: documents are added one after the other, each starting on a new page. */
export interface PdfWriter {
  add(model: DocumentModel): void;
  /** End the file and answer its bytes. */
  finish(): Buffer;
}

export function pdfWriter(fonts: FontChain, createdAt: Date, title: string): PdfWriter {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    autoFirstPage: false,
    bufferPages: true,
    // No default Helvetica: every text is set in the CJK fonts.
    font: '',
    lang: 'zh-CN',
    // Shaping is shared across documents by the fonts themselves (fonts.ts); a per-document cache would
    // only hold a second copy, for as long as the file is open: a whole batch, for a print file.
    fontLayoutCache: false,
    info: {
      CreationDate: createdAt,
      Title: title,
      Producer: 'loan-mediation-platform',
      Creator: 'loan-mediation-platform',
    },
  }) as Doc;
  registerChain(doc, fonts);
  let documents = 0;
  return {
    add(model) {
      doc.addPage();
      const first = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
      for (const block of model.blocks) drawBlock(doc, fonts, block, model);
      if (model.portal) {
        doc.moveDown(0.8);
        ensureSpace(doc, PORTAL_BOX_HEIGHT);
        drawPortalBox(doc, fonts, model.portal, model);
      }
      drawFooters(doc, fonts, model, first);
      // Pages are written out once numbered, so a print file of thousands of documents stays small in memory.
      doc.flushPages();
      documents++;
    },
    finish() {
      if (documents === 0) throw new Error('Nothing to render.');
      doc.end();
      // pdfkit writes synchronously into its readable buffer; collect it without waiting for events.
      const chunks: Buffer[] = [];
      for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null)
        chunks.push(chunk);
      return Buffer.concat(chunks);
    },
  };
}

/** Render one document, or several into one file. */
export function renderPdf(models: readonly DocumentModel[], fonts: FontChain, createdAt: Date): Buffer {
  const writer = pdfWriter(
    fonts,
    createdAt,
    models.length === 1 ? `${models[0]!.title} ${models[0]!.docNo}` : `${models.length} documents`,
  );
  for (const model of models) writer.add(model);
  return writer.finish();
}

const contentWidth = (doc: Doc) => doc.page.width - MARGIN.left - MARGIN.right;

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN.bottom) doc.addPage();
}

const style = (weight: Weight, size: number, extra: Partial<TextStyle> = {}): TextStyle => ({
  weight,
  size,
  colour: INK,
  lineGap: 0,
  ...extra,
});

function flow(doc: Doc, fonts: FontChain, text: string, s: TextStyle, align: Align = 'left', indent = 0): void {
  writeText(doc, fonts, text, s, { x: MARGIN.left, width: contentWidth(doc), align, indent });
}

function drawBlock(doc: Doc, fonts: FontChain, block: Block, model: DocumentModel): void {
  doc.x = MARGIN.left;
  switch (block.type) {
    case 'title':
      flow(doc, fonts, block.text, style('bold', 20, { spacing: 2 }), 'center');
      doc.moveDown(0.5);
      return;
    case 'subtitle':
      flow(doc, fonts, block.text, style('regular', 13), 'center');
      doc.moveDown(0.4);
      return;
    case 'right':
      flow(doc, fonts, block.text, style('regular', 10.5), 'right');
      doc.moveDown(0.6);
      return;
    case 'to':
      flow(doc, fonts, block.text, style('regular', BODY_SIZE, { lineGap: LINE_GAP }));
      doc.moveDown(0.3);
      return;
    case 'heading':
      doc.moveDown(0.3);
      ensureSpace(doc, 40);
      flow(doc, fonts, block.text, style('bold', BODY_SIZE, { lineGap: LINE_GAP }));
      doc.moveDown(0.2);
      return;
    case 'paragraph':
      flow(doc, fonts, block.text, style('regular', BODY_SIZE, { lineGap: LINE_GAP }), 'left', BODY_SIZE * 2);
      doc.y += 4;
      return;
    case 'note':
      doc.moveDown(0.6);
      flow(doc, fonts, block.text, style('regular', 9, { colour: GREY, lineGap: 2 }));
      return;
    case 'table':
      drawTable(doc, fonts, block.header, block.rows);
      return;
    case 'sign':
      drawSignature(doc, fonts, block.lines, model.seal);
      return;
  }
}

const CELL_PAD = 5;
const TABLE_SIZE = 10.5;
const cellStyle = (header: boolean) => style(header ? 'bold' : 'regular', TABLE_SIZE, { lineGap: 2 });

/** Column widths that fill the line: natural widths when they fit, otherwise long columns wrap first. */
function columnWidths(fonts: FontChain, header: string[], rows: string[][], width: number): number[] {
  const natural = header.map((h, i) => {
    let w = writeLines(fonts, h, cellStyle(true), Number.POSITIVE_INFINITY).width;
    for (const r of rows)
      w = Math.max(w, writeLines(fonts, r[i] ?? '', cellStyle(false), Number.POSITIVE_INFINITY).width);
    return w + 2 * CELL_PAD + 1;
  });
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= width) return natural.map((w) => (w * width) / total);
  const damped = natural.map(Math.sqrt);
  const sum = damped.reduce((a, b) => a + b, 0);
  return damped.map((w) => (w * width) / sum);
}

function drawTable(doc: Doc, fonts: FontChain, header: string[], rows: string[][]): void {
  const width = contentWidth(doc);
  const widths = columnWidths(fonts, header, rows, width);
  doc.moveDown(0.3);
  const drawRow = (cells: string[], isHeader: boolean) => {
    const s = cellStyle(isHeader);
    const laid = cells.map((c, i) => writeLines(fonts, c, s, widths[i]! - 2 * CELL_PAD));
    const h = Math.max(...laid.map((l) => l.height)) + 2 * CELL_PAD;
    if (doc.y + h > doc.page.height - MARGIN.bottom) {
      doc.addPage();
      if (!isHeader) drawRow(header, true);
    }
    const top = doc.y;
    let x = MARGIN.left;
    if (isHeader) doc.rect(MARGIN.left, top, width, h).fill('#eeeeee');
    laid.forEach((l, i) => {
      const w = widths[i]!;
      doc.lineWidth(0.6).strokeColor('#444444').rect(x, top, w, h).stroke();
      l.draw(doc, x + CELL_PAD, top + CELL_PAD, 'left', w - 2 * CELL_PAD);
      x += w;
    });
    doc.x = MARGIN.left;
    doc.y = top + h;
  };
  drawRow(header, true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.6);
}

function drawSignature(doc: Doc, fonts: FontChain, lines: string[], seal: string | null): void {
  const width = contentWidth(doc);
  const s = style('regular', BODY_SIZE, { lineGap: LINE_GAP });
  const laid = lines.map((l) => writeLines(fonts, l, s, width));
  const height = laid.reduce((h, l) => h + l.height, 0);
  doc.moveDown(1.2);
  ensureSpace(doc, height + (seal ? SEAL_RADIUS : 0) + 24);
  const top = doc.y;
  const right = MARGIN.left + width;
  if (seal && laid.length) {
    // Over the end of the last line (the date, 骑年盖月 as far as the month): the year's figures stay
    // outside the ring and the star falls on the day. Drawn first, so the text reads on top of it.
    const last = laid[laid.length - 1]!;
    const lastTop = top + height - last.height;
    drawSeal(doc, fonts, seal, right - SEAL_RADIUS * 0.4, lastTop + last.lineHeight / 2);
  }
  let y = top;
  for (const l of laid) {
    l.draw(doc, MARGIN.left, y, 'right', width);
    y += l.height;
  }
  doc.x = MARGIN.left;
  doc.y = y + 4 + (seal ? SEAL_RADIUS / 2 : 0);
}

function drawFooters(doc: Doc, fonts: FontChain, model: DocumentModel, firstPage: number): void {
  const range = doc.bufferedPageRange();
  const last = range.start + range.count - 1;
  const count = last - firstPage + 1;
  const s = style('regular', 8.5, { colour: GREY });
  const width = contentWidth(doc);
  for (let n = firstPage; n <= last; n++) {
    doc.switchToPage(n);
    const y = doc.page.height - MARGIN.bottom + 28;
    writeLines(
      fonts,
      `文书编号：${model.docNo}　核验码：${model.verifyCode}　第 ${n - firstPage + 1} 页 / 共 ${count} 页`,
      s,
      Number.POSITIVE_INFINITY,
    ).draw(doc, MARGIN.left, y, 'center', width);
    writeLines(fonts, `核验网址：${model.verifyUrl}`, s, Number.POSITIVE_INFINITY).draw(
      doc,
      MARGIN.left,
      y + 13,
      'center',
      width,
    );
  }
}
