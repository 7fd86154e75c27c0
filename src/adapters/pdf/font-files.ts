/**
 * Where the document fonts are. Each character of a text run is set in the first font of its
 * weight's chain that has it:
 *   1. the common-character font, a subset of Source Han Sans SC to 通用规范汉字表, GB2312 and the
 *      symbols documents use (assets/fonts, made by `npm run fonts`): small, so fast to embed;
 *   2. the full Source Han Sans SC (OFL-1.1, the node-source-han-sans-sc package);
 *   3. a font for CJK Extension B and beyond, which Source Han Sans lacks in part (e.g. U+21484 in
 *      陈𡒄): the file named by DOCUMENT_EXTENDED_FONT, else one found on the system.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export type Weight = 'regular' | 'bold';
export const WEIGHTS: readonly Weight[] = ['regular', 'bold'];

export const FULL_FONT_FILES: Record<Weight, string> = {
  regular: require.resolve('node-source-han-sans-sc/SourceHanSansSC-Regular.otf'),
  bold: require.resolve('node-source-han-sans-sc/SourceHanSansSC-Bold.otf'),
};

export const COMMON_FONTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/fonts');

export const COMMON_FONT_FILES: Record<Weight, string> = {
  regular: path.join(COMMON_FONTS_DIR, 'common-regular.otf'),
  bold: path.join(COMMON_FONTS_DIR, 'common-bold.otf'),
};

/** Extension B fonts that Debian packages install (fonts-hanazono), looked for in this order. */
export const SYSTEM_EXTENDED_FONTS = ['/usr/share/fonts/truetype/hanazono/HanaMinB.ttf'] as const;

export interface ExtendedFont {
  file: string;
  /** Named by DOCUMENT_EXTENDED_FONT, or found on the system. */
  source: 'setting' | 'system';
}

/** The fonts documents are set in: each weight's chain of files, and the extended font among them. */
export interface FontSetup {
  chains: Record<Weight, string[]>;
  extended: ExtendedFont | null;
}

/** `DOCUMENT_EXTENDED_FONT`: unset looks on the system, `none` uses no extended font, else a file. */
export type ExtendedFontSetting = { use: 'system' } | { use: 'none' } | { use: 'file'; file: string };

/** The extended font: the setting when given, else the first system font present, else none. */
export function findExtendedFont(setting: ExtendedFontSetting): ExtendedFont | null {
  if (setting.use === 'file') return { file: setting.file, source: 'setting' };
  if (setting.use === 'none') return null;
  const found = SYSTEM_EXTENDED_FONTS.find((f) => fs.existsSync(f));
  return found ? { file: found, source: 'system' } : null;
}

export function fontSetup(setting: ExtendedFontSetting = { use: 'system' }): FontSetup {
  const extended = findExtendedFont(setting);
  const chain = (w: Weight) => [COMMON_FONT_FILES[w], FULL_FONT_FILES[w], ...(extended ? [extended.file] : [])];
  return { chains: { regular: chain('regular'), bold: chain('bold') }, extended };
}
