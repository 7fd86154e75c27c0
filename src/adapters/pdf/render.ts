/**
 * The PDF layout of documents: a pure function from document models to PDF bytes. A4, bold title,
 * paragraphs, bordered tables, the signature block with a drawn seal outline for organisations that
 * seal, and on every page a footer with the document number, verification code, verify URL and page
 * numbers. The creation date is given, so the same input gives the same bytes.
 *
 * Several documents make one print file: each starts on a new page and numbers its own pages, and
 * the font is embedded once for all of them.
 */

import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { Block, DocumentModel } from '../../domain/document-text.js';

/** A parsed font (the fast way) or a font file path (parsed again per document: the naive baseline). */
export interface FontSources {
  regular: Font | string;
  bold: Font | string;
}

const MARGIN = { top: 64, bottom: 84, left: 64, right: 64 };
const BODY_SIZE = 12;
const LINE_GAP = 5;
const INK = '#111111';
const GREY = '#555555';
const SEAL_RED = '#c8102e';

type Doc = PDFKit.PDFDocument;

/** A PDF being written: documents are added one after the other, each starting on a new page. */
export interface PdfWriter {
  add(model: DocumentModel): void;
  /** End the file and answer its bytes. */
  finish(): Buffer;
}

export function pdfWriter(fonts: FontSources, createdAt: Date, title: string): PdfWriter {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    autoFirstPage: false,
    bufferPages: true,
    // No default Helvetica: every text is set in the CJK font.
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
  });
  doc.registerFont('regular', fonts.regular as never);
  doc.registerFont('bold', fonts.bold as never);
  let documents = 0;
  return {
    add(model) {
      doc.addPage();
      const first = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
      for (const block of model.blocks) drawBlock(doc, block, model);
      drawFooters(doc, model, first);
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
export function renderPdf(models: readonly DocumentModel[], fonts: FontSources, createdAt: Date): Buffer {
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

function drawBlock(doc: Doc, block: Block, model: DocumentModel): void {
  const width = contentWidth(doc);
  doc.x = MARGIN.left;
  switch (block.type) {
    case 'title':
      doc.font('bold').fontSize(20).fillColor(INK).text(block.text, { width, align: 'center', characterSpacing: 2 });
      doc.moveDown(0.5);
      return;
    case 'subtitle':
      doc.font('regular').fontSize(13).fillColor(INK).text(block.text, { width, align: 'center' });
      doc.moveDown(0.4);
      return;
    case 'right':
      doc.font('regular').fontSize(10.5).fillColor(INK).text(block.text, { width, align: 'right' });
      doc.moveDown(0.6);
      return;
    case 'to':
      doc.font('regular').fontSize(BODY_SIZE).fillColor(INK).text(block.text, { width, lineGap: LINE_GAP });
      doc.moveDown(0.3);
      return;
    case 'heading':
      doc.moveDown(0.3);
      ensureSpace(doc, 40);
      doc.font('bold').fontSize(BODY_SIZE).fillColor(INK).text(block.text, { width, lineGap: LINE_GAP });
      doc.moveDown(0.2);
      return;
    case 'paragraph':
      doc
        .font('regular')
        .fontSize(BODY_SIZE)
        .fillColor(INK)
        .text(block.text, { width, indent: BODY_SIZE * 2, lineGap: LINE_GAP, paragraphGap: 4 });
      return;
    case 'note':
      doc.moveDown(0.6);
      doc.font('regular').fontSize(9).fillColor(GREY).text(block.text, { width, lineGap: 2 });
      doc.fillColor(INK);
      return;
    case 'table':
      drawTable(doc, block.header, block.rows);
      return;
    case 'sign':
      drawSignature(doc, block.lines, model.seal);
      return;
  }
}

const CELL_PAD = 5;
const TABLE_SIZE = 10.5;

/** Column widths that fill the line: natural widths when they fit, otherwise long columns wrap first. */
function columnWidths(doc: Doc, header: string[], rows: string[][], width: number): number[] {
  const natural = header.map((h, i) => {
    doc.font('bold').fontSize(TABLE_SIZE);
    let w = doc.widthOfString(h);
    doc.font('regular');
    for (const r of rows) w = Math.max(w, doc.widthOfString(r[i] ?? ''));
    return w + 2 * CELL_PAD + 1;
  });
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= width) return natural.map((w) => (w * width) / total);
  const damped = natural.map(Math.sqrt);
  const sum = damped.reduce((a, b) => a + b, 0);
  return damped.map((w) => (w * width) / sum);
}

function drawTable(doc: Doc, header: string[], rows: string[][]): void {
  const width = contentWidth(doc);
  const widths = columnWidths(doc, header, rows, width);
  doc.moveDown(0.3);
  const drawRow = (cells: string[], isHeader: boolean) => {
    doc.font(isHeader ? 'bold' : 'regular').fontSize(TABLE_SIZE);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * CELL_PAD, lineGap: 2 }));
    const h = Math.max(...heights) + 2 * CELL_PAD;
    if (doc.y + h > doc.page.height - MARGIN.bottom) {
      doc.addPage();
      if (!isHeader) drawRow(header, true);
      doc.font(isHeader ? 'bold' : 'regular').fontSize(TABLE_SIZE);
    }
    const top = doc.y;
    let x = MARGIN.left;
    if (isHeader) doc.rect(MARGIN.left, top, width, h).fill('#eeeeee');
    cells.forEach((c, i) => {
      const w = widths[i]!;
      doc.lineWidth(0.6).strokeColor('#444444').rect(x, top, w, h).stroke();
      doc.fillColor(INK).text(c, x + CELL_PAD, top + CELL_PAD, { width: w - 2 * CELL_PAD, lineGap: 2 });
      x += w;
    });
    doc.x = MARGIN.left;
    doc.y = top + h;
  };
  drawRow(header, true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.6);
}

const SEAL_RADIUS = 44;

function drawSignature(doc: Doc, lines: string[], seal: string | null): void {
  const width = contentWidth(doc);
  doc.font('regular').fontSize(BODY_SIZE);
  const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
  const needed = lines.length * lineHeight + (seal ? SEAL_RADIUS : 0) + 24;
  doc.moveDown(1.2);
  ensureSpace(doc, needed);
  const top = doc.y;
  for (const line of lines) {
    doc.x = MARGIN.left;
    doc.fillColor(INK).text(line, { width, align: 'right', lineGap: LINE_GAP });
  }
  const bottom = doc.y;
  doc.x = MARGIN.left;
  doc.y = bottom + 4;
  if (seal) {
    const cy = (top + bottom) / 2;
    drawSeal(doc, seal, MARGIN.left + width - SEAL_RADIUS - 16, cy);
    doc.y = Math.max(bottom, cy + SEAL_RADIUS) + 8;
  }
}

/** A seal outline: a red ring, the organisation's name along its upper arc and a star in the middle. */
function drawSeal(doc: Doc, name: string, cx: number, cy: number): void {
  doc.save();
  doc.lineWidth(2).strokeColor(SEAL_RED).circle(cx, cy, SEAL_RADIUS).stroke();
  const chars = [...name];
  const size = Math.min(11, Math.max(7, 150 / Math.max(chars.length, 1)));
  // The name runs clockwise over about 240 degrees of the ring, centred on the top.
  const span = Math.min(240, chars.length * 22);
  doc.font('regular').fontSize(size).fillColor(SEAL_RED);
  chars.forEach((ch, i) => {
    const angle = -span / 2 + (chars.length === 1 ? span / 2 : (span * i) / (chars.length - 1));
    doc.save();
    doc.translate(cx, cy).rotate(angle);
    doc.text(ch, -size / 2, -SEAL_RADIUS + 4, { lineBreak: false });
    doc.restore();
  });
  const r = SEAL_RADIUS * 0.3;
  const star: [number, number][] = Array.from({ length: 10 }, (_, i) => {
    const a = (Math.PI / 5) * i - Math.PI / 2;
    const rr = i % 2 === 0 ? r : r * 0.4;
    return [cx + rr * Math.cos(a), cy + 6 + rr * Math.sin(a)];
  });
  doc.polygon(...star).fill(SEAL_RED);
  doc.restore();
  doc.fillColor(INK);
}

function drawFooters(doc: Doc, model: DocumentModel, firstPage: number): void {
  const range = doc.bufferedPageRange();
  const last = range.start + range.count - 1;
  const count = last - firstPage + 1;
  for (let n = firstPage; n <= last; n++) {
    doc.switchToPage(n);
    // Writing below the bottom margin would start a new page: lift the margin while the footer is drawn.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN.bottom + 28;
    const width = contentWidth(doc);
    doc.font('regular').fontSize(8.5).fillColor(GREY);
    doc.text(
      `文书编号：${model.docNo}　核验码：${model.verifyCode}　第 ${n - firstPage + 1} 页 / 共 ${count} 页`,
      MARGIN.left,
      y,
      { width, align: 'center', lineBreak: false },
    );
    doc.text(`核验网址：${model.verifyUrl}`, MARGIN.left, y + 13, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = MARGIN.bottom;
  }
  doc.fillColor(INK);
}
