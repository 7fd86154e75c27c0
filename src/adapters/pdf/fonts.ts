/**
 * The parsed document fonts of a thread (font-files.ts says which). pdfkit takes a parsed fontkit
 * object for every document, which is more than twice as fast as handing it a path or a buffer each
 * time; each file is parsed once per thread, on first use.
 */
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { type FontSetup, fontSetup, type Weight } from './font-files.js';

/** Each weight's fonts in the order characters try them. */
export type FontChain = Record<Weight, fontkit.Font[]>;

/** Shaped runs kept per font: the text of a template repeats in every document of a batch. */
const LAYOUT_CACHE_ENTRIES = 10_000;

/**
 * The font with its text shaping remembered across documents. pdfkit keeps a layout cache per
 * document only, and shaping CJK text through the OpenType lookups is a large part of rendering.
 * pdfkit scales the positions of the run it is given in place, so each answer is a fresh copy of a
 * run that is never handed out itself.
 */
function withSharedLayout(font: fontkit.Font): fontkit.Font {
  const runs = new Map<string, fontkit.GlyphRun>();
  const shared = Object.create(font) as fontkit.Font;
  shared.layout = (text: string, ...more: unknown[]) => {
    if (more.some((m) => m !== undefined)) return (font.layout as (...a: unknown[]) => fontkit.GlyphRun)(text, ...more);
    let run = runs.get(text);
    if (!run) {
      run = font.layout(text);
      if (runs.size >= LAYOUT_CACHE_ENTRIES) runs.clear();
      runs.set(text, run);
    }
    const copy = Object.create(Object.getPrototypeOf(run) as object) as fontkit.GlyphRun;
    return Object.assign(copy, run, { positions: run.positions.map((p) => ({ ...p })) });
  };
  return shared;
}

/** Parse a font file (a TrueType collection answers its first face). */
export function parseFontFile(file: string): fontkit.Font {
  const parsed = fontkit.create(fs.readFileSync(file)) as fontkit.Font | fontkit.FontCollection;
  return 'fonts' in parsed ? parsed.fonts[0]! : parsed;
}

const parsed = new Map<string, fontkit.Font>();
const parseOnce = (file: string) => {
  let font = parsed.get(file);
  if (!font) {
    font = withSharedLayout(parseFontFile(file));
    parsed.set(file, font);
  }
  return font;
};

/** The chains of a setup, each file parsed once in this thread. */
export const loadFontChain = (setup: FontSetup = fontSetup()): FontChain => ({
  regular: setup.chains.regular.map(parseOnce),
  bold: setup.chains.bold.map(parseOnce),
});
