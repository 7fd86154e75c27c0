/**
 * The CJK font for documents: Source Han Sans SC (OFL-1.1) from the node-source-han-sans-sc package,
 * which covers all of GB2312 and the rare characters of names (PERF-LIMITS.md, fonts). Each file is
 * read and parsed once per thread; pdfkit takes the parsed fontkit object for every document, which
 * is more than twice as fast as handing it a path or a buffer each time.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

export interface DocumentFonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
}

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: require.resolve('node-source-han-sans-sc/SourceHanSansSC-Regular.otf'),
  bold: require.resolve('node-source-han-sans-sc/SourceHanSansSC-Bold.otf'),
} as const;

let loaded: DocumentFonts | null = null;

/** Shaped runs kept per thread: the text of a template repeats in every document of a batch. */
const LAYOUT_CACHE_ENTRIES = 10_000;

/**
 * The font with its text shaping remembered across documents. pdfkit keeps a layout cache per
 * document only, and shaping CJK text through the OpenType lookups is about a quarter of rendering.
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

const parse = (file: string) => withSharedLayout(fontkit.create(fs.readFileSync(file)) as fontkit.Font);

/** The fonts of this thread, parsed on first use. */
export function documentFonts(): DocumentFonts {
  loaded ??= { regular: parse(FONT_FILES.regular), bold: parse(FONT_FILES.bold) };
  return loaded;
}
