import { describe, expect, it } from 'vitest';
import { COMMON_FONT_FILES, FULL_FONT_FILES, WEIGHTS } from '../../src/adapters/pdf/font-files.js';
import { parseFontFile } from '../../src/adapters/pdf/fonts.js';
import { commonCharacters } from './charset.js';
import { currentManifest, readManifest } from './manifest.js';

describe('the committed common-character fonts', () => {
  it('are current: made from this character list and these source fonts, and unchanged since (else run npm run fonts)', () => {
    const recorded = readManifest();
    expect(currentManifest(recorded.subsetter)).toEqual(recorded);
  });

  it('hold every character of the list that Source Han Sans SC has, in both weights', () => {
    const chars = commonCharacters().map((c) => c.codePointAt(0)!);
    // 通用规范汉字表 (8,105), GB2312 and the symbols, without repeats.
    expect(chars.length).toBeGreaterThan(9000);
    for (const w of WEIGHTS) {
      const subset = new Set(parseFontFile(COMMON_FONT_FILES[w]).characterSet);
      const full = new Set(parseFontFile(FULL_FONT_FILES[w]).characterSet);
      expect(chars.filter((c) => full.has(c) && !subset.has(c))).toEqual([]);
    }
  });
});
