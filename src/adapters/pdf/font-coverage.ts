/**
 * Which characters of a text no document font has. Documents are checked with it before they are
 * made (a sealed document never prints an empty box), and templates when they are uploaded. Each
 * font's character set is read on first need: most texts never get past the common-character font.
 */
import { parseFontFile } from './fonts.js';

export interface FontCoverage {
  /** The characters of `text` that no font of the chain has, each once, in order of appearance. */
  missing(text: string): string[];
}

// Line breaks and spaces are layout, not glyphs.
const LAYOUT_ONLY = /[\s]/u;

export function fontCoverage(files: readonly string[]): FontCoverage {
  const sets: Set<number>[] = [];
  const setOf = (i: number) => {
    sets[i] ??= new Set(parseFontFile(files[i]!).characterSet);
    return sets[i]!;
  };
  const covered = new Map<number, boolean>();
  return {
    missing(text) {
      const out = new Set<string>();
      for (const ch of text) {
        if (LAYOUT_ONLY.test(ch)) continue;
        const cp = ch.codePointAt(0)!;
        let has = covered.get(cp);
        if (has === undefined) {
          has = files.some((_, i) => setOf(i).has(cp));
          covered.set(cp, has);
        }
        if (!has) out.add(ch);
      }
      return [...out];
    },
  };
}

/** `𡒄` → `"𡒄" (U+21484)`: a character as a person can find it again. */
export const describeCharacters = (chars: readonly string[]) =>
  chars.map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
