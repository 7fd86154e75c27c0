/**
 * The record of how the committed common-character fonts were made (assets/fonts/common-fonts.json):
 * the hash of the character list, of each source font and of each output. `npm run fonts` writes it;
 * a test recomputes the inputs and the outputs' hashes, so a font that is not current fails the suite.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  COMMON_FONT_FILES,
  COMMON_FONTS_DIR,
  FULL_FONT_FILES,
  WEIGHTS,
  type Weight,
} from '../../src/adapters/pdf/font-files.js';
import { commonCharacters } from './charset.js';

export const MANIFEST_FILE = path.join(COMMON_FONTS_DIR, 'common-fonts.json');

export interface FontManifest {
  characters: { count: number; sha256: string };
  subsetter: string;
  fonts: Record<Weight, { source: string; sourceSha256: string; file: string; sha256: string; bytes: number }>;
}

export const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');
const sourcePackageFile = (weight: Weight) => path.relative(path.resolve('node_modules'), FULL_FONT_FILES[weight]);

/** What the manifest must say for the fonts now in assets/fonts to be current. */
export function currentManifest(subsetter: string): FontManifest {
  const chars = commonCharacters();
  const fonts = Object.fromEntries(
    WEIGHTS.map((w) => {
      const out = fs.readFileSync(COMMON_FONT_FILES[w]);
      return [
        w,
        {
          source: sourcePackageFile(w),
          sourceSha256: sha256(fs.readFileSync(FULL_FONT_FILES[w])),
          file: path.basename(COMMON_FONT_FILES[w]),
          sha256: sha256(out),
          bytes: out.length,
        },
      ];
    }),
  ) as FontManifest['fonts'];
  return { characters: { count: chars.length, sha256: sha256(chars.join('')) }, subsetter, fonts };
}

export const readManifest = (): FontManifest => JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8')) as FontManifest;
