/**
 * Input normalisation shared by the identifier and amount parsers.
 * Chinese IMEs and copied PDFs often produce full-width forms (U+FF01–U+FF5E) and U+3000 spaces.
 */

/** Converts full-width ASCII variants (０-９, Ａ-Ｚ, ．, ＋ …) and the ideographic space to plain ASCII. */
export function toHalfWidth(input: string): string {
  let out = '';
  for (const ch of input) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Removes every kind of whitespace, including NBSP and the ideographic space. */
export function stripSpaces(input: string): string {
  return input.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');
}

/** True for null, undefined and strings that are empty after trimming. */
export function isBlank(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && stripSpaces(raw) === '');
}
