/**
 * Well-formed text. A lone surrogate (`"\ud800"` in JSON) cannot be stored as UTF-8: SQLite keeps
 * U+FFFD instead, so what was hashed into a claim's event chain would not be what was stored. U+FFFD
 * is also what bytes that were not UTF-8 become once decoded (a multipart field, a query string, a
 * socket frame), and no person types it, so it counts as malformed too.
 */
const isMalformed = (s: string) => !s.isWellFormed() || s.includes('\ufffd');

export const MALFORMED_TEXT_MESSAGE = 'is not well-formed Unicode text (a lone surrogate or bytes that are not UTF-8)';

/** The path (`/body/reason`) of the first string or key in `value` that is not well-formed text, or null. */
export function malformedTextAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isMalformed(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = malformedTextAt(value[i], `${path}/${i}`);
      if (bad) return bad;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (isMalformed(key)) return path;
    const bad = malformedTextAt(v, `${path}/${key}`);
    if (bad) return bad;
  }
  return null;
}
