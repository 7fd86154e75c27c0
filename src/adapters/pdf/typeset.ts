/**
 * Setting text on a pdfkit page in a font chain: lines from text-layout.ts, each run drawn in its
 * own font on one baseline, page breaks between lines. pdfkit draws each run without wrapping (one
 * shaping per run, from the fonts' shared cache), told the width already measured.
 */
import type { Font } from 'fontkit';
import { WEIGHTS, type Weight } from './font-files.js';
import type { FontChain } from './fonts.js';
import { breakLines, type Line } from './text-layout.js';

export type Doc = PDFKit.PDFDocument;
export type Align = 'left' | 'center' | 'right';

export const MARGIN = { top: 64, bottom: 84, left: 64, right: 64 };

export interface TextStyle {
  weight: Weight;
  size: number;
  colour: string;
  /** Extra space below each line. */
  lineGap: number;
  /** Extra space after each character. */
  spacing?: number;
}

/** Lines laid out and measured, drawn where the caller says. */
export interface LaidText {
  lines: Line[];
  /** The widest line. */
  width: number;
  lineHeight: number;
  height: number;
  draw(doc: Doc, x: number, y: number, align: Align, width: number): void;
}

const fontName = (weight: Weight, i: number) => `${weight}-${i}`;

export function registerChain(doc: Doc, fonts: FontChain): void {
  for (const w of WEIGHTS)
    fonts[w].forEach((f, i) => {
      doc.registerFont(fontName(w, i), f as never);
    });
}

/** Height of a line in the chain's first font (pdfkit's currentLineHeight(true)) plus the style's gap. */
export const lineHeightOf = (font: Font, s: TextStyle) =>
  ((font.ascent - font.descent + font.lineGap) / font.unitsPerEm) * s.size + s.lineGap;

export function writeLines(fonts: FontChain, text: string, s: TextStyle, width: number, indent = 0): LaidText {
  const chain = fonts[s.weight];
  const primary = chain[0]!;
  const lines = breakLines(chain, text, { size: s.size, width, indent, spacing: s.spacing ?? 0 });
  const lineHeight = lineHeightOf(primary, s);
  const ascent = (primary.ascent / primary.unitsPerEm) * s.size;
  return {
    lines,
    width: Math.max(0, ...lines.map((l) => l.width)),
    lineHeight,
    height: lines.length * lineHeight,
    draw(doc, x, y, align, boxWidth) {
      lines.forEach((line, i) => {
        drawLine(doc, s, line, lineX(line, x, align, boxWidth, i ? 0 : indent), y + i * lineHeight + ascent);
      });
      doc.y = y + lines.length * lineHeight;
    },
  };
}

const lineX = (line: Line, x: number, align: Align, width: number, indent: number) =>
  align === 'left' ? x + indent : align === 'right' ? x + width - line.width : x + (width - line.width) / 2;

function drawLine(doc: Doc, s: TextStyle, line: Line, x: number, baseline: number): void {
  let cx = x;
  for (const run of line.runs) {
    doc.font(fontName(s.weight, run.font)).fontSize(s.size).fillColor(s.colour);
    doc.text(run.text, cx, baseline, {
      lineBreak: false,
      baseline: 'alphabetic',
      characterSpacing: s.spacing ?? 0,
      textWidth: run.width,
    } as PDFKit.Mixins.TextOptions);
    cx += run.width;
  }
}

/** Text flowed down the page from doc.y, starting a new page where a line would cross the bottom margin. */
export function writeText(
  doc: Doc,
  fonts: FontChain,
  text: string,
  s: TextStyle,
  box: { x: number; width: number; align: Align; indent: number },
): void {
  const laid = writeLines(fonts, text, s, box.width, box.indent);
  const chain = fonts[s.weight];
  const ascent = (chain[0]!.ascent / chain[0]!.unitsPerEm) * s.size;
  laid.lines.forEach((line, i) => {
    if (doc.y + laid.lineHeight > doc.page.height - MARGIN.bottom) doc.addPage();
    const top = doc.y;
    drawLine(doc, s, line, lineX(line, box.x, box.align, box.width, i ? 0 : box.indent), top + ascent);
    doc.y = top + laid.lineHeight;
  });
  doc.x = box.x;
  // Leave the page's current font the style's, so moveDown() spaces by its lines.
  doc.font(fontName(s.weight, 0)).fontSize(s.size);
}
