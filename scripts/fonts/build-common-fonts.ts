/**
 * `npm run fonts`: make the common-character document fonts (assets/fonts/common-*.otf) from Source
 * Han Sans SC and record how (common-fonts.json). The fonts are committed, so only a change of the
 * character list or of the source package needs this, and it needs Debian's fonttools
 * (`apt-get install fonttools`).
 *
 * Why fonttools and not subset-font (harfbuzz's hb-subset compiled to wasm): that wasm build has a
 * fixed 64 MiB heap, which the 17 MB source and the subset plan outgrow: with the layout closure from
 * about 6,000 characters, and for the Bold weight at this whole set even without it. fontTools has no
 * such limit and can also drop the subroutines (subset_font.py says why that matters).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { COMMON_FONT_FILES, FULL_FONT_FILES, WEIGHTS } from '../../src/adapters/pdf/font-files.js';
import { commonCharacters } from './charset.js';
import { currentManifest, MANIFEST_FILE } from './manifest.js';

const PYTHONS = ['/usr/bin/python3', 'python3'];
const SCRIPT = path.join(path.dirname(new URL(import.meta.url).pathname), 'subset_font.py');
const FAMILY = 'LMP Sans SC Common';
const PS_NAME = { regular: 'LMPSansSCCommon-Regular', bold: 'LMPSansSCCommon-Bold' } as const;

function fontToolsPython(): { python: string; version: string } {
  for (const python of PYTHONS) {
    try {
      const version = execFileSync(python, ['-c', 'import fontTools; print(fontTools.version)'], { encoding: 'utf8' });
      return { python, version: version.trim() };
    } catch {
      // not this one
    }
  }
  throw new Error('fontTools is not installed: run `apt-get install fonttools` (Debian) and try again.');
}

const { python, version } = fontToolsPython();
const chars = commonCharacters();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-fonts-'));
const charsFile = path.join(dir, 'chars.txt');
fs.writeFileSync(charsFile, chars.join(''));
try {
  for (const weight of WEIGHTS) {
    const t0 = performance.now();
    execFileSync(
      python,
      [SCRIPT, FULL_FONT_FILES[weight], charsFile, COMMON_FONT_FILES[weight], FAMILY, PS_NAME[weight]],
      {
        stdio: 'inherit',
      },
    );
    const font = fontkit.create(fs.readFileSync(COMMON_FONT_FILES[weight])) as fontkit.Font;
    const source = fontkit.create(fs.readFileSync(FULL_FONT_FILES[weight])) as fontkit.Font;
    const lost = chars.filter(
      (c) => source.hasGlyphForCodePoint(c.codePointAt(0)!) && !font.hasGlyphForCodePoint(c.codePointAt(0)!),
    );
    if (lost.length)
      throw new Error(`The ${weight} subset lost ${lost.length} characters: ${lost.slice(0, 20).join('')}`);
    console.log(
      `${path.basename(COMMON_FONT_FILES[weight])}: ${font.numGlyphs.toLocaleString('en')} glyphs, ${(fs.statSync(COMMON_FONT_FILES[weight]).size / 1e6).toFixed(2)} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  fs.writeFileSync(MANIFEST_FILE, `${JSON.stringify(currentManifest(`fontTools ${version}`), null, 2)}\n`);
  console.log(
    `${chars.length.toLocaleString('en')} characters; manifest written to ${path.relative('.', MANIFEST_FILE)}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
