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

const parse = (file: string) => fontkit.create(fs.readFileSync(file)) as fontkit.Font;

/** The fonts of this thread, parsed on first use. */
export function documentFonts(): DocumentFonts {
  loaded ??= { regular: parse(FONT_FILES.regular), bold: parse(FONT_FILES.bold) };
  return loaded;
}
